import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli.ts';
import type { InteropView } from '../../src/interop/report.ts';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('datalyft interop', () => {
  it('prints the summary, agencies, datasets and join concepts as tables', async () => {
    const io = capture();
    expect(await main(['interop'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/elements mapped to a shared concept\s+\d+ of \d+ \(\d+\.\d %\)/);
    expect(out).toMatch(/lawful join paths, sou-2025-108\s+\d+/);
    expect(out).toMatch(/^AGENCY\s+DATASETS\s+MAPPED/m);
    expect(out).toMatch(/^IDENTIFYING CONCEPT\s+DATASETS\s+JOIN PATHS/m);
    expect(out).toContain('join paths are not listed: narrow with --dataset <id> or --concept <id>, or ask for --paths');
  });

  it('lists the join paths of one dataset with the lawful purposes per regime', async () => {
    const io = capture();
    expect(await main(['interop', '--dataset', 'fk-tillfallig-foraldrapenning'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/^CONCEPT\s+JOINS WITH\s+LAWFUL PURPOSES GALLANDE-RATT\s+LAWFUL PURPOSES SOU-2025-108$/m);
    expect(out).toMatch(/^personnummer\s+fk-inkomster\s+.*sfb-114-8-p3@fk/m);
  });

  it('prints the report as JSON with --json', async () => {
    const io = capture();
    expect(await main(['interop', '--json', '--concept', 'barn'], io)).toBe(0);
    const view = JSON.parse(io.stdout.join('\n')) as InteropView;
    expect(view.filter).toEqual({ conceptId: 'barn' });
    expect(view.joinPaths!.every((p) => p.conceptId === 'barn')).toBe(true);
  });

  it('exits 2 with dataset-not-found on stderr for an unknown dataset, and on a usage error', async () => {
    const io = capture();
    expect(await main(['interop', '--dataset', 'nope'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('dataset-not-found');
    const bad = capture();
    expect(await main(['interop', '--frobnicate'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toContain('usage');
  });
});
