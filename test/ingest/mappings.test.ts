/**
 * The mappings' fixtures: each source record mapped by the compiled path gives exactly the
 * quads jsonld.toRDF gives over the mapping's JSON-LD context (the test that keeps the two
 * honest), and exactly the expected out/*.nq (named graphs included). For a new or changed
 * mapping, `UPDATE_FIXTURES=1 npx vitest run test/ingest/mappings.test.ts` writes out/*.nq
 * to review; the comparison with jsonld.toRDF still runs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import {
  graphChooser, loadMappings, mapRecord, MappingRegistry, prepareRecord, recordId, subjectIri, toJsonLdDocument, toSourceValue,
} from '../../src/ingest/mapping.ts';
import { checkAtDoor } from '../../src/ingest/schema.ts';
import { jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { factory, parseRdf, writeRdf, type Quad } from '../../src/rdf/parse.ts';

let catalog: Catalog;
let registry: MappingRegistry;
beforeAll(async () => {
  catalog = await Catalog.load();
  registry = new MappingRegistry(catalog);
});

async function sortedNQuads(quads: Quad[]): Promise<string[]> {
  return (await writeRdf(quads, { format: 'application/n-quads' })).split('\n').filter(Boolean).sort();
}

interface Fixture { system: string; dir: string; file: string; dataset: string }
function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const m of loadMappings().values()) {
    const dir = path.join(m.dir, 'fixtures', 'in');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) out.push({ system: m.spec.sourceSystem, dir: m.dir, file, dataset: file.split('.')[0]! });
  }
  return out;
}

describe('mappings', () => {
  it('cover at least ten source systems, each named by datasets of the catalog', () => {
    const systems = [...registry.mappings.keys()];
    expect(systems.length).toBeGreaterThanOrEqual(10);
    const used = new Set([...catalog.datasets.values()].map((d) => d.sourceSystem));
    for (const s of systems) expect(used, `mappings/${s} is no dl:sourceSystem of any dataset`).toContain(s);
  });

  it('every declared layout compiles against the catalog', () => {
    const failures: string[] = [];
    for (const d of registry.declared()) {
      try {
        registry.layout(catalog.dataset(d.dataset)!, d.sourceSystem);
      } catch (error) {
        failures.push(`${d.sourceSystem} → ${d.dataset}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every dataset with a record class has a layout (its mapping or the canonical one)', () => {
    for (const ds of catalog.datasets.values()) {
      if (!ds.recordClass) continue;
      expect(() => registry.layout(ds)).not.toThrow();
    }
  });

  it('every source system has fixtures', () => {
    const withFixtures = new Set(fixtures().map((f) => f.system));
    expect([...registry.mappings.keys()].filter((s) => !withFixtures.has(s))).toEqual([]);
  });

  it.each(fixtures().map((f) => [`${f.system}/${f.file}`, f] as const))('%s: compiled = jsonld.toRDF = expected out', async (_name, f) => {
    const ds = catalog.requireDataset(f.dataset);
    const layout = registry.layout(ds, f.system);
    const records = JSON.parse(readFileSync(path.join(f.dir, 'fixtures', 'in', f.file), 'utf8')) as Record<string, unknown>[];
    const graphOf = graphChooser(catalog, ds);
    const all: Quad[] = [];
    for (let i = 0; i < records.length; i++) {
      const prepared = prepareRecord(layout, records[i]!);
      expect(checkAtDoor(layout, i, prepared)).toEqual([]);
      const subject = subjectIri(ds, recordId(layout, prepared)!);
      const compiled = mapRecord(layout, prepared, subject, graphOf);
      const reference = await jsonldToQuads(toJsonLdDocument(layout, prepared, subject));
      const asTriples = compiled.map((q) => factory.quad(q.subject, q.predicate, q.object));
      expect(await sortedNQuads(asTriples)).toEqual(await sortedNQuads(reference));
      all.push(...compiled);
    }
    const expectedFile = path.join(f.dir, 'fixtures', 'out', f.file.replace(/\.json$/, '.nq'));
    // UPDATE_FIXTURES=1 writes the expected output of a new or changed mapping, for review.
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, `${(await sortedNQuads(all)).join('\n')}\n`);
    const expected = parseRdf(readFileSync(expectedFile, 'utf8'), { format: 'application/n-quads', file: expectedFile });
    expect(await sortedNQuads(all)).toEqual(await sortedNQuads(expected));
  });

  it('writes values back in the source system\'s own form (for the demo generator)', () => {
    const agi = registry.layout(catalog.requireDataset('skatteverket-inkomstuppgifter'), 'skatteverket-inkomst');
    expect(toSourceValue(agi, 'Redovisningsperiod', '2024-03')).toBe('202403');
    expect(toSourceValue(agi, 'ArbetsgivareOrgnr', '5560360793')).toBe('165560360793');
    const fk = registry.layout(catalog.requireDataset('fk-tillfallig-foraldrapenning'), 'fk-arendesystem');
    expect(toSourceValue(fk, 'Personnummer', '198503121231')).toBe('19850312-1231');
    expect(toSourceValue(fk, 'Beslutsutfall', 'delvis bifall')).toBe('DB');
    expect(toSourceValue(fk, 'OmfattningProcent', 0.25)).toBe(25);
  });

  it('refuses a mapping that maps onto a property the dataset does not have', () => {
    const ds = catalog.requireDataset('fk-tillfallig-foraldrapenning');
    const context = { '@context': { dlt: 'https://w3id.org/datalyft/term#', T: { '@id': ds.recordClass, '@context': { Typo: 'dlt:tfpDatumm' } } } };
    const mappings = new Map([['x', { spec: { sourceSystem: 'x', title: 'x', layouts: [{ dataset: ds.id, type: 'T', id: ['Typo'] }] }, dir: '', file: 'x', contextUrl: 'urn:x', context }]]);
    expect(() => new MappingRegistry(catalog, mappings).layout(ds, 'x')).toThrow(/"Typo" maps to https:\/\/w3id.org\/datalyft\/term#tfpDatumm, which no element/);
  });
});
