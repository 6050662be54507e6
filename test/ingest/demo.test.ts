/**
 * The demo data: deterministic, consistent across datasets, valid except for the errors made
 * on purpose, and loaded through the one ingest path with those errors in the quality log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { generateDemo, loadDemo, storeHasRecords, type DemoDataset } from '../../src/ingest/demo.ts';
import { prepareRecord } from '../../src/ingest/mapping.ts';
import { checkBatch, ingestEngine } from '../../src/ingest/pipeline.ts';
import { fileQualityLog } from '../../src/quality/log.ts';
import { startHub } from '../../src/server.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

const REFERENCE = new Date('2026-03-16T00:00:00Z');
let catalog: Catalog;
let demo: DemoDataset[];
let tmp: string;

beforeAll(async () => {
  catalog = await Catalog.load();
  demo = generateDemo(catalog, { persons: 1500, seed: 7, reference: REFERENCE });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'datalyft-demo-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function of(id: string): DemoDataset {
  const d = demo.find((x) => x.dataset.id === id);
  if (!d) throw new Error(`no demo records for ${id}`);
  return d;
}

/** The records of a dataset by element identifier (after the mapping's normalisations). */
function canonical(id: string): Record<string, unknown>[] {
  const d = of(id);
  return d.records.map((r) => {
    const prepared = prepareRecord(d.layout, r);
    const out: Record<string, unknown> = {};
    for (const f of d.layout.fields) if (prepared[f.field] !== undefined) out[f.element.id] = prepared[f.field];
    return out;
  });
}

const birthOf = (pnr: string): Date => {
  const day = Number(pnr.slice(6, 8));
  return new Date(`${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}T00:00:00Z`);
};
const ageOn = (pnr: string, date: Date): number => {
  const b = birthOf(pnr);
  let age = date.getUTCFullYear() - b.getUTCFullYear();
  if (date.getUTCMonth() < b.getUTCMonth() || (date.getUTCMonth() === b.getUTCMonth() && date.getUTCDate() < b.getUTCDate())) age--;
  return age;
};

describe('demo data', () => {
  it('is deterministic: the same seed gives the same records, another seed others', () => {
    const again = generateDemo(catalog, { persons: 1500, seed: 7, reference: REFERENCE });
    expect(JSON.stringify(again.map((d) => d.records))).toBe(JSON.stringify(demo.map((d) => d.records)));
    const other = generateDemo(catalog, { persons: 1500, seed: 8, reference: REFERENCE });
    expect(JSON.stringify(other.map((d) => d.records))).not.toBe(JSON.stringify(demo.map((d) => d.records)));
  });

  it('has records for every dataset of the catalog, in each source system\'s layout', () => {
    const empty = demo.filter((d) => d.records.length === 0).map((d) => d.dataset.id);
    expect(empty).toEqual([]);
    expect(of('skatteverket-inkomstuppgifter').records[0]).toHaveProperty('KontantErsattningUlagAG');
    expect(of('skatteverket-inkomstuppgifter').records[0]!.Redovisningsperiod).toMatch(/^[0-9]{6}$/);
    expect(of('fk-tillfallig-foraldrapenning').records[0]!.Personnummer).toMatch(/^[0-9]{8}-[0-9]{4}$/);
  });

  it('is valid except for the records made wrong on purpose, which both layers catch', async () => {
    const engine = ingestEngine(catalog);
    for (const d of demo) {
      const checked = await checkBatch(engine, d.dataset, d.layout, d.records);
      expect(checked.invalid.size, d.dataset.id).toBe(d.wrong);
    }
    expect(of('skatteverket-inkomstuppgifter').wrong / of('skatteverket-inkomstuppgifter').records.length).toBeGreaterThan(0.015);
  });

  it('pays only on decisions that exist, decided in cases that exist', () => {
    for (const agency of ['fk', 'pm']) {
      const decisions = new Set(canonical(`${agency}-beslut`).map((r) => r.beslutid));
      const cases = new Set(canonical(`${agency}-arenden`).map((r) => r.arendeid));
      const payments = canonical(`${agency}-utbetalningar`).filter((r) => r.beslutid !== undefined);
      expect(payments.length).toBeGreaterThan(100);
      const wrong = of(`${agency}-beslut`).wrong + of(`${agency}-utbetalningar`).wrong;
      expect(payments.filter((p) => !decisions.has(p.beslutid)).length).toBeLessThanOrEqual(wrong);
      const decided = canonical(`${agency}-beslut`);
      expect(decided.filter((d) => !cases.has(d.arendeid)).length).toBeLessThanOrEqual(of(`${agency}-arenden`).wrong + of(`${agency}-beslut`).wrong);
    }
  });

  it('grants VAB only for children under 12 (and at least 240 days old) on the day', () => {
    const days = canonical('fk-tillfallig-foraldrapenning').filter((r) => typeof r.barn === 'string' && typeof r.datum === 'string' && /^[0-9]{12}$/.test(r.barn as string));
    expect(days.length).toBeGreaterThan(100);
    for (const r of days) {
      const day = new Date(`${r.datum as string}T00:00:00Z`);
      expect(ageOn(r.barn as string, day)).toBeLessThan(12);
      expect((day.getTime() - birthOf(r.barn as string).getTime()) / 86_400_000).toBeGreaterThanOrEqual(240 - 90);
    }
    expect(days.some((r) => r['barn-diagnos'] !== undefined)).toBe(days.length > 300);
    for (const r of days.filter((x) => x['barn-diagnos'] !== undefined)) expect(r.orsak).toBe('allvarligt sjukt barn');
  });

  it('pays old-age pensions and housing supplements to persons of 65 or more', () => {
    for (const id of ['pm-inkomstpension', 'pm-garantipension', 'pm-bostadstillagg-pensionarer']) {
      const people = canonical(id).map((r) => r.personnummer as string).filter((p) => /^[0-9]{12}$/.test(p));
      expect(people.length, id).toBeGreaterThan(0);
      for (const p of people) expect(ageOn(p, REFERENCE), `${id} ${p.slice(0, 8)}`).toBeGreaterThanOrEqual(65);
    }
  });

  it('gives sick leave its diagnosis, and the absence register the children on VAB days', () => {
    const sick = canonical('fk-sjukpenning');
    expect(sick.length).toBeGreaterThan(10);
    expect(sick.filter((r) => typeof r.diagnos === 'string').length).toBeGreaterThan(sick.length * 0.9);
    const vab = new Set(canonical('fk-tillfallig-foraldrapenning').map((r) => `${r.barn as string} ${r.datum as string}`));
    const register = canonical('skolverket-franvaroregister');
    expect(register.filter((r) => vab.has(`${r.barn as string} ${r.datum as string}`)).length).toBeGreaterThan(register.length * 0.3);
  });

  it('loads through the ingest path, leaving the wrong records out and in the quality log', async () => {
    const store = new MemoryStore();
    const dataDir = path.join(tmp, 'load');
    const summary = await loadDemo({ catalog, store, config: { dataDir }, now: () => REFERENCE, log: () => {} }, { persons: 300, seed: 3, reference: REFERENCE });
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.accepted + summary.rejected).toBe(summary.records);
    expect(await storeHasRecords(store)).toBe(true);
    const { outcomes } = await fileQualityLog(dataDir).read();
    const agi = outcomes.filter((o) => o.dataset === 'skatteverket-inkomstuppgifter');
    expect(agi.length).toBeGreaterThan(0);
    expect(agi.reduce((s, o) => s + o.rejected, 0)).toBeGreaterThan(0);
    expect(agi.every((o) => o.sourceSystem === 'skatteverket-inkomst' && o.committed)).toBe(true);
  });
});

describe('first start', () => {
  it('listens at once, answers starting, loads the demo data, and reopens without generating again', async () => {
    const dataDir = path.join(tmp, 'hub');
    const lines: string[] = [];
    const hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 200 }, log: (l) => lines.push(l) });
    try {
      const first = (await (await fetch(`${hub.url}/health`)).json()) as { status: string };
      expect(first.status).toBe('starting');
      await hub.loading;
      const after = (await (await fetch(`${hub.url}/health`)).json()) as { status: string };
      expect(after.status).toBe('ok');
      expect(lines.some((l) => /^demo data loaded in/.test(l))).toBe(true);
    } finally {
      await hub.close();
    }
    const size = await (async () => {
      const again = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 200 }, log: (l) => lines.push(`again: ${l}`) });
      try {
        expect(((await (await fetch(`${again.url}/health`)).json()) as { status: string }).status).toBe('ok');
        return again.deps.store.size();
      } finally {
        await again.close();
      }
    })();
    expect(size).toBeGreaterThan(1000);
    expect(lines.filter((l) => l.startsWith('again: ') && l.includes('generating demo data'))).toEqual([]);
  }, 60_000);
});
