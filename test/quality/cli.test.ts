import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli.ts';
import { qualityLogPath } from '../../src/quality/log.ts';
import type { QualityReport } from '../../src/quality/report.ts';
import { FIXTURE_LOG, FULL_IDENTIFIER } from './helpers.ts';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

let dataDir: string;
let emptyDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-quality-cli-'));
  emptyDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-quality-cli-empty-'));
  await mkdir(path.dirname(qualityLogPath(dataDir)), { recursive: true });
  await copyFile(FIXTURE_LOG, qualityLogPath(dataDir));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(emptyDir, { recursive: true, force: true });
});

describe('datalyft quality', () => {
  it('prints violations by rule per source system, masked, and lists unreadable log lines on stderr', async () => {
    const io = capture();
    expect(await main(['quality', '--data-dir', dataDir], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('4 ingests (2026-11-02T06:00:00.000Z – 2026-12-01T07:00:00.000Z), 2700 records, 62 with a violation (2.3 %), 63 violations.');
    expect(out).toMatch(/^Source system skatteverket-inkomst: 2500 records, 60 with a violation \(2\.4 %\)$/m);
    expect(out).toMatch(/^ {2}personnummer\s+door\s+40\s+40\s+1\.6 %\s+betalningsmottagare=1990\*\*\*\*: samordningsnummer 19900172-\*\*\*\* has an impossible day$/m);
    expect(out).not.toMatch(FULL_IDENTIFIER);
    expect(io.stderr).toEqual([
      expect.stringMatching(/^datalyft quality: quality\/ingests\.jsonl:5: not valid JSON/),
      'datalyft quality: quality/ingests.jsonl:6: "rejected" must be a whole number between 0 and "records" (skipped)',
    ]);
  });

  it('prints the report as JSON with --json, narrowed with --source', async () => {
    const io = capture();
    expect(await main(['quality', '--json', '--data-dir', dataDir, '--source', 'skatteverket-inkomst'], io)).toBe(0);
    const report = JSON.parse(io.stdout.join('\n')) as QualityReport;
    expect(report).toMatchObject({ records: 2500, rejected: 60, filter: { source: 'skatteverket-inkomst' } });
  });

  it('says so when no ingest has been recorded', async () => {
    const io = capture();
    expect(await main(['quality', '--data-dir', emptyDir], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('No ingest recorded yet.');
  });

  it('exits 2 on a usage error', async () => {
    const io = capture();
    expect(await main(['quality', 'extra'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('usage');
  });
});
