import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli.ts';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('datalyft CLI', () => {
  it('lists its commands with --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/serve\s+Serve the hub/);
  });

  it('refuses an unknown command on stderr with a non-zero exit', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown command "frobnicate"');
  });

  it('exits non-zero without a command', async () => {
    const io = capture();
    expect(await main([], io)).toBe(2);
  });

  it('stops serve on an invalid configuration with config-invalid', async () => {
    const io = capture();
    const previous = process.env.PORT;
    process.env.PORT = 'not-a-port';
    try {
      expect(await main(['serve'], io)).not.toBe(0);
    } finally {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    }
    expect(io.stderr.join('\n')).toContain('config-invalid');
  });
});
