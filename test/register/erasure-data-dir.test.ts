/**
 * Erasure is complete: after a year of the absence register is erased, no byte of it is
 * left anywhere under the data directory (store, journal or database, audit trail, quality
 * log, exports), and erasing again is a no-op that is still recorded.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntries, auditFileIn } from '../../src/audit/log.ts';
import { main } from '../../src/cli.ts';
import { eraseYear } from '../../src/register/erasure.ts';
import { startHub, type RunningHub } from '../../src/server.ts';
import { DurableStore } from '../../src/store/durable-store.ts';

const REGISTER = 'skolverket-franvaroregister';
const CHILD_2025 = '201503141234';
const DAY_2025 = '2025-12-18';
const CHILD_2026 = '201211024565';
let clock = new Date('2026-01-10T09:00:00Z');
let hub: RunningHub;
let dataDir: string;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** Files under the data directory whose raw bytes contain the text. */
function filesContaining(text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return filesUnder(dataDir).filter((file) => readFileSync(file).includes(needle));
}

async function report(personnummer: string, datum: string): Promise<number> {
  const res = await fetch(`${hub.url}/register/${REGISTER}/reports`, {
    method: 'POST', headers: { authorization: 'Bearer demo-skolrapportor', 'content-type': 'application/json' },
    body: JSON.stringify([{ personnummer, skolenhetskod: '39867213', skolform: 'grundskola', datum, narvarostatus: 'franvaro', omfattning: 'hel', giltig: 'nej' }]),
  });
  return res.status;
}

async function holds(personnummer: string): Promise<boolean> {
  const rows = await hub.deps.store.select(`SELECT ?s WHERE { GRAPH ?g { ?s ?p "${personnummer}" } }`, { defaultGraphs: [], namedGraphs: await hub.deps.store.graphs() });
  return rows.length > 0;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-erasure-'));
  // The durable store: the bytes of the reports are on disk (SQLite and its write-ahead log) before erasure.
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0, erasureDate: '01-15' }, store: await DurableStore.open({ dataDir }), now: () => clock, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the yearly erasure of the absence register', () => {
  it('erases the previous year on the erasure date, leaving no byte of it under the data directory', async () => {
    expect(await report(CHILD_2025, DAY_2025)).toBe(201);
    expect(await report(CHILD_2026, '2026-01-08')).toBe(201);
    expect(await holds(CHILD_2025)).toBe(true);
    expect(filesContaining(CHILD_2025).length).toBeGreaterThan(0); // so the grep below proves something

    expect(await hub.erasure.runNow()).toEqual([]); // 14 January: 2025 is still kept
    clock = new Date('2026-01-15T06:00:00Z');
    const [erased, ...more] = await hub.erasure.runNow();
    expect(more).toEqual([]);
    expect(erased).toMatchObject({ register: REGISTER, year: 2025, records: 1, noop: false, actor: 'system' });
    expect(erased!.quads).toBeGreaterThan(5);

    expect(await holds(CHILD_2025)).toBe(false);
    expect(await holds(CHILD_2026)).toBe(true);
    expect((await hub.deps.store.graphs()).filter((g) => g.includes(`/${REGISTER}/2025/`))).toEqual([]);
    expect(filesContaining(CHILD_2025)).toEqual([]);
    expect(filesContaining(DAY_2025)).toEqual([]);
  });

  it('is a no-op the second time, and says so in the audit trail without personal data', async () => {
    expect(await hub.erasure.runNow()).toEqual([]);
    const again = await eraseYear({ catalog: hub.deps.catalog, store: hub.deps.store, audit: hub.deps.audit, now: () => clock }, { register: REGISTER, year: 2025, actor: 'operator', auditNoop: true });
    expect(again).toMatchObject({ noop: true, quads: 0, records: 0, graphs: [] });
    const erasures = readEntries(auditFileIn(dataDir)).filter((e) => e.kind === 'erasure');
    expect(erasures.map((e) => [e.actor, e.year, e.noop, e.records])).toEqual([['system', 2025, false, 1], ['operator', 2025, true, 0]]);
    expect(JSON.stringify(erasures)).not.toContain(CHILD_2025);
  });

  it('refuses new reports for an erased year', async () => {
    expect(await report(CHILD_2025, '2025-12-19')).toBe(422);
  });

  it('datalyft erase on the data directory reports a no-op for the erased year and audits it; every file stays clean', async () => {
    await hub.close();
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['erase', '--register', REGISTER, '--year', '2025', '--data-dir', dataDir, '--by', 'test-operator'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/^skolverket-franvaroregister 2025: nothing to erase .*audit entry \d+\.$/);
    expect(readEntries(auditFileIn(dataDir)).filter((e) => e.kind === 'erasure').at(-1)).toMatchObject({ actor: 'test-operator', noop: true });
    expect(filesContaining(CHILD_2025)).toEqual([]);
    expect(filesContaining(DAY_2025)).toEqual([]);
    hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, store: await DurableStore.open({ dataDir }), now: () => clock, log: () => {} });
    expect(await holds(CHILD_2026)).toBe(true); // the other year survived, durably
  });

  it('names the registers when the one asked for is not one', async () => {
    const err: string[] = [];
    expect(await main(['erase', '--register', 'fk-tillfallig-foraldrapenning', '--year', '2025', '--data-dir', dataDir], { out: () => {}, err: (t) => err.push(t) })).toBe(2);
    expect(err.join('')).toContain('not-a-register');
  });
});
