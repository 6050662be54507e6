/**
 * datalyft ingest: a file through the ingest path in batches, each one commit; a refused
 * batch is listed with file-relative record numbers and stops the run unless --keep-going.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { DurableStore } from '../../src/store/durable-store.ts';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'datalyft-cli-ingest-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const AGI = 'skatteverket-inkomstuppgifter';
const statement = (n: number, over: Record<string, unknown> = {}) => ({
  ArbetsgivareOrgnr: '165560360793', Betalningsmottagare: '198503121231', Redovisningsperiod: '202403', Specifikationsnummer: String(n).padStart(3, '0'),
  KontantErsattningUlagAG: 30000 + n, AvdrPrelSkatt: 7000, ...over,
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } });
  return { code, out, err };
}

async function quadsIn(dataDir: string): Promise<number> {
  const store = await DurableStore.open({ dataDir });
  try {
    return await store.size(`https://w3id.org/datalyft/graph/${AGI}/base`);
  } finally {
    await store.close();
  }
}

describe('datalyft ingest', () => {
  it('loads an NDJSON file in batches and reports records/s', async () => {
    const dataDir = path.join(tmp, 'ok');
    const file = path.join(tmp, 'ok.ndjson');
    writeFileSync(file, Array.from({ length: 12 }, (_, i) => JSON.stringify(statement(i))).join('\n'));
    const { code, out, err } = await run(['ingest', AGI, file, '--batch', '5', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ dataset: AGI, records: 12, written: 12, refusedBatches: 0 });
    expect(err).toMatch(/Writing as skatteverket-system/);
    expect(err).toMatch(/12 of 12 records written in [0-9.]+ s \([0-9,]+ records\/s\)/);
    expect(await quadsIn(dataDir)).toBe(12 * 6); // type, employer, payee, month, pay, tax
  }, 60_000);

  it('stops at a refused batch, naming the record by its place in the file', async () => {
    const dataDir = path.join(tmp, 'stop');
    const file = path.join(tmp, 'stop.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 12 }, (_, i) => statement(i, i === 7 ? { Betalningsmottagare: '198503121234' } : {}))));
    const { code, err } = await run(['ingest', AGI, file, '--batch', '5', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(err).toContain('Batch of records 5–9 refused, nothing of it written');
    expect(err).toContain('record 7 Betalningsmottagare: personnummer: "Betalningsmottagare" is not a valid personnummer');
    expect(err).toContain('Stopped at the first refused batch; 5 records before it were written.');
    expect(await quadsIn(dataDir)).toBe(5 * 6);
  }, 60_000);

  it('goes on with --keep-going and exits 1 at the end', async () => {
    const dataDir = path.join(tmp, 'keep');
    const file = path.join(tmp, 'keep.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 12 }, (_, i) => statement(i, i === 7 ? { Redovisningsperiod: '202413' } : {}))));
    const { code, out } = await run(['ingest', AGI, file, '--batch', '5', '--data-dir', dataDir, '--keep-going']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ dataset: AGI, records: 12, written: 7, refusedBatches: 1 });
  }, 60_000);

  it('refuses a principal that may not write, and a file nested too deep, before writing anything', async () => {
    const dataDir = path.join(tmp, 'refuse');
    const file = path.join(tmp, 'one.json');
    writeFileSync(file, JSON.stringify([statement(1)]));
    const denied = await run(['ingest', AGI, file, '--principal', 'karim-fk-kontroll', '--data-dir', dataDir]);
    expect(denied.code).toBe(2);
    expect(denied.err).toContain('write-not-permitted');
    const deep = path.join(tmp, 'deep.json');
    writeFileSync(deep, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const tooDeep = await run(['ingest', AGI, deep, '--data-dir', dataDir]);
    expect(tooDeep.code).toBe(2);
    expect(tooDeep.err).toContain('too-deep');
    expect((await run(['ingest', AGI])).code).toBe(2);
  }, 60_000);
});

describe('datalyft ingest errors', () => {
  it('names a forbidden key by its record\'s place in the file, in a later batch', async () => {
    const file = path.join(tmp, 'proto.ndjson');
    const lines = Array.from({ length: 7 }, (_, i) => JSON.stringify(statement(i)));
    lines[6] = '{"Betalningsmottagare": "198503121231", "x": {"__proto__": {"admin": true}}}';
    writeFileSync(file, lines.join('\n'));
    const { code, err } = await run(['ingest', AGI, file, '--batch', '5', '--data-dir', path.join(tmp, 'proto')]);
    expect(code).toBe(2);
    expect(err).toContain('forbidden-key: The key "__proto__" is refused (at /x/__proto__)');
    expect(err).toContain('record 6, path /x/__proto__');
  }, 60_000);
});
