import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { isDatalyftError, type DatalyftError } from '../../src/errors.ts';
import { ingestBatch } from '../../src/ingest/pipeline.ts';
import { fileQualityLog } from '../../src/quality/log.ts';
import { writeRdf } from '../../src/rdf/parse.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

let catalog: Catalog;
let dataDir: string;
beforeAll(async () => {
  catalog = await Catalog.load();
  dataDir = mkdtempSync(path.join(tmpdir(), 'datalyft-ingest-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const TFP = 'fk-tillfallig-foraldrapenning';
const GRAPH = 'https://w3id.org/datalyft/graph/';

function tfp(day: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Personnummer: '19850312-1231', BarnPersonnummer: '20180520-2346', ArendeNr: 'TFP-2024-000123', Datum: day,
    OmfattningProcent: 100, Dagbelopp: 1016, Beslutsutfall: 'BI', ...extra,
  };
}

async function dump(store: MemoryStore): Promise<string> {
  const all = [];
  for (const g of await store.graphs()) all.push(...(await store.quadsOf(g)));
  return (await writeRdf(all, { format: 'application/n-quads' })).split('\n').sort().join('\n');
}

async function rejection(promise: Promise<unknown>): Promise<DatalyftError> {
  try {
    await promise;
  } catch (error) {
    if (isDatalyftError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('ingestBatch', () => {
  it('writes a TFP record\'s diagnosis to the health graph and nothing else there', async () => {
    const store = new MemoryStore();
    const result = await ingestBatch({ catalog, store, config: { dataDir } }, {
      dataset: TFP, principal: 'fk-kallsystem',
      records: [tfp('2024-03-12', { OmfattningProcent: 50, Orsak: 'allvarligt sjukt barn', BarnDiagnoskod: 'C91.0' })],
    });
    expect(result.accepted).toBe(1);
    expect(result.graphs).toEqual([`${GRAPH}${TFP}/base`, `${GRAPH}${TFP}/health`, `${GRAPH}${TFP}/indirect`]);
    const health = await store.quadsOf(`${GRAPH}${TFP}/health`);
    expect(health.map((q) => [q.predicate.value, q.object.value])).toEqual([['https://w3id.org/datalyft/term#tfpBarnDiagnos', 'C91.0']]);
    const indirect = await store.quadsOf(`${GRAPH}${TFP}/indirect`);
    expect(indirect.map((q) => q.predicate.value)).toEqual(['https://w3id.org/datalyft/term#tfpOrsak']);
    const base = await store.quadsOf(`${GRAPH}${TFP}/base`);
    expect(base.map((q) => q.predicate.value)).toContain('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
    expect(base.map((q) => q.predicate.value)).toContain('https://w3id.org/datalyft/term#personnummer');
    expect(base.some((q) => q.object.value === 'C91.0')).toBe(false);
  });

  it('rejects a batch with one bad record, lists every violation, and leaves the store exactly as it was', async () => {
    const store = new MemoryStore();
    await ingestBatch({ catalog, store, config: { dataDir } }, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-01')] });
    const before = await dump(store);
    const records = [
      tfp('2024-03-04'),
      tfp('2024-03-05', { Personnummer: '19850312-1234', Datum: '2024-02-30', Okand: 1 }),
      tfp('2024-03-06'),
      { ...tfp('2024-03-07'), BarnPersonnummer: undefined, OmfattningProcent: 'hel' },
    ];
    const error = await rejection(ingestBatch({ catalog, store, config: { dataDir } }, { dataset: TFP, principal: 'fk-kallsystem', records }));
    expect(error.code).toBe('batch-rejected');
    expect(error.status).toBe(422);
    const violations = (error.extra!.violations as { record: number; field: string; rule: string; message: string }[]).map((v) => [v.record, v.field, v.rule]);
    expect(violations).toEqual([
      [1, 'Datum', 'datatype'],
      [1, 'Okand', 'unknown-field'],
      [1, 'Personnummer', 'personnummer'],
      [3, 'BarnPersonnummer', 'required'],
      [3, 'OmfattningProcent', 'datatype'],
    ]);
    expect(await dump(store)).toBe(before);
  });

  it('names the fault of an identifier in the message, masked', async () => {
    const store = new MemoryStore();
    const error = await rejection(ingestBatch({ catalog, store, config: { dataDir } }, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-04', { Personnummer: '19850312-1234' })] }));
    const [v] = error.extra!.violations as { message: string; value: string; layer: string }[];
    expect(v!.message).toBe('"Personnummer" is not a valid personnummer: check digit 4 is wrong; the Luhn check over the last ten digits gives 1.');
    expect(v!.value).toBe('1985********');
    expect(v!.layer).toBe('door');
  });

  it('refuses a principal whose role may not write the dataset', async () => {
    const error = await rejection(ingestBatch({ catalog, store: new MemoryStore(), config: { dataDir } }, { dataset: TFP, principal: 'pm-kallsystem', records: [tfp('2024-03-04')] }));
    expect(error.code).toBe('write-not-permitted');
    expect(error.status).toBe(403);
    const anonymous = await rejection(ingestBatch({ catalog, store: new MemoryStore(), config: { dataDir } }, { dataset: TFP, principal: undefined, records: [] }));
    expect(anonymous.status).toBe(401);
  });

  it('refuses two records with the same id in one batch', async () => {
    const error = await rejection(ingestBatch({ catalog, store: new MemoryStore(), config: { dataDir } }, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-04'), tfp('2024-03-04')] }));
    expect((error.extra!.violations as { record: number; rule: string }[]).map((v) => [v.record, v.rule])).toEqual([[1, 'duplicate-id']]);
  });

  it('replaces an earlier version of a record instead of adding a second value', async () => {
    const store = new MemoryStore();
    const deps = { catalog, store, config: { dataDir } };
    await ingestBatch(deps, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-04', { Dagbelopp: 1016 })] });
    const result = await ingestBatch(deps, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-04', { Dagbelopp: 900 })] });
    expect(result.replaced).toBe(1);
    const amounts = (await store.quadsOf(`${GRAPH}${TFP}/base`)).filter((q) => q.predicate.value.endsWith('tfpDagbelopp')).map((q) => q.object.value);
    expect(amounts).toEqual(['900']);
  });

  it('puts a year-partitioned register\'s records in the graph of their year', async () => {
    const store = new MemoryStore();
    const result = await ingestBatch({ catalog, store, config: { dataDir } }, {
      dataset: 'skolverket-franvaroregister', principal: 'eva-skolrapportor',
      records: [
        { Elev: '201108158880', Skolenhetskod: '29384756', HuvudmanOrgnr: '212000-2148', Datum: '2024-12-20', Status: 'F', Skolform: 'GR' },
        { Elev: '201108158880', Skolenhetskod: '29384756', HuvudmanOrgnr: '212000-2148', Datum: '2025-01-08', Status: 'F', Skolform: 'GR' },
      ],
    });
    expect(result.graphs).toEqual([
      `${GRAPH}skolverket-franvaroregister/2024/base`, `${GRAPH}skolverket-franvaroregister/2024/indirect`,
      `${GRAPH}skolverket-franvaroregister/2025/base`, `${GRAPH}skolverket-franvaroregister/2025/indirect`,
    ]);
  });

  it('logs each ingest, accepted or rejected, for the quality report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'datalyft-quality-'));
    const store = new MemoryStore();
    await ingestBatch({ catalog, store, config: { dataDir: dir } }, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-04')] });
    await rejection(ingestBatch({ catalog, store, config: { dataDir: dir } }, { dataset: TFP, principal: 'fk-kallsystem', records: [tfp('2024-03-05', { Personnummer: '19850312-1234' }), tfp('2024-03-06')] }));
    const { outcomes, problems } = await fileQualityLog(dir).read();
    expect(problems).toEqual([]);
    expect(outcomes.map((o) => [o.sourceSystem, o.dataset, o.records, o.rejected, o.committed])).toEqual([
      ['fk-arendesystem', TFP, 1, 0, true],
      ['fk-arendesystem', TFP, 2, 1, false],
    ]);
    expect(outcomes[1]!.violations[0]!.rule).toBe('personnummer');
    expect(readFileSync(path.join(dir, 'quality', 'ingests.jsonl'), 'utf8')).not.toContain('198503121234');
    rmSync(dir, { recursive: true, force: true });
  });
});
