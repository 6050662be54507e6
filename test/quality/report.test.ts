import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { appendQualityLog, fileQualityLog, outcomeOf, parseQualityLog, qualityLogPath } from '../../src/quality/log.ts';
import { containsIdentifier, maskIdentifiers } from '../../src/quality/mask.ts';
import { buildQualityReport, qualityJsonld, type QualityReport } from '../../src/quality/report.ts';
import { qualityPage } from '../../src/quality/page.ts';
import { jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { FIXTURE_LOG, FULL_IDENTIFIER } from './helpers.ts';


let catalog: Catalog;
let report: QualityReport;
beforeAll(async () => {
  catalog = await Catalog.load();
  report = buildQualityReport(parseQualityLog(await readFile(FIXTURE_LOG, 'utf8'), 'ingests.jsonl'), catalog);
});

describe('masking', () => {
  it('keeps the date of a personnummer and hides its last four digits', () => {
    expect(maskIdentifiers('198503121234')).toBe('19850312-****');
    expect(maskIdentifiers('pnr 19850312-1234, child 20200101+5678')).toBe('pnr 19850312-****, child 20200101-****');
    expect(maskIdentifiers('850312-1234 and 5566778899')).toBe('850312-**** and 556677-****');
    expect(maskIdentifiers('1985-03-12 1234')).toBe('19850312-****');
    expect(maskIdentifiers('2026-13 and 12 000 kr and 2026-12-01T06:00:00.000Z')).toBe('2026-13 and 12 000 kr and 2026-12-01T06:00:00.000Z');
    expect(containsIdentifier('19850312-****')).toBe(false);
    expect(containsIdentifier('x198503121234')).toBe(true);
  });
});

describe('quality report from a fixture log', () => {
  it('counts records, records with a violation and their share per source system', () => {
    const skv = report.sources.find((s) => s.sourceSystem === 'skatteverket-inkomst')!;
    expect(skv).toMatchObject({ ingests: 3, records: 2500, rejected: 60, share: 0.024, violations: 61 });
    expect(skv.datasets).toEqual(['fk-inkomster', 'skatteverket-inkomstuppgifter']);
    expect(skv.feeds).toContain('skatteverket-inkomstuppgifter');
    expect(report).toMatchObject({ ingests: 4, records: 2700, rejected: 62, share: 0.023, sourceSystems: 2, datasetCount: 3 });
  });

  it('counts violations by rule for the income statements\' source, most frequent first, with the share of records affected', () => {
    const skv = report.sources.find((s) => s.sourceSystem === 'skatteverket-inkomst')!;
    expect(skv.rules.map((r) => [r.rule, r.layer, r.count, r.records, r.share])).toEqual([
      ['personnummer', 'door', 40, 40, 0.016],
      ['datatype', 'door', 10, 10, 0.004],
      ['pattern', 'graph', 6, 5, 0.002],
      ['organisationsnummer', 'door', 5, 5, 0.002],
    ]);
    const ds = report.datasets.find((d) => d.datasetId === 'skatteverket-inkomstuppgifter')!;
    expect(ds).toMatchObject({ sourceSystem: 'skatteverket-inkomst', ingests: 2, records: 2000, rejected: 60, share: 0.03, inCatalog: true });
  });

  it('gives the trend over ingests, oldest first', () => {
    const ds = report.datasets.find((d) => d.datasetId === 'skatteverket-inkomstuppgifter')!;
    expect(ds.trend.map((p) => [p.time, p.records, p.rejected, p.share, p.committed])).toEqual([
      ['2026-11-02T06:00:00.000Z', 1000, 40, 0.04, false],
      ['2026-12-01T06:00:00.000Z', 1000, 20, 0.02, false],
    ]);
  });

  it('keeps a few examples per rule, the latest ingest first, with identity numbers masked', () => {
    const pnr = report.sources.find((s) => s.sourceSystem === 'skatteverket-inkomst')!.rules[0]!;
    expect(pnr.examples.map((e) => e.message)).toEqual([
      'samordningsnummer 19900172-**** has an impossible day',
      '19850312-**** has a wrong check digit',
      'not a personnummer: 19850312-****',
    ]);
    expect(pnr.examples[1]!.value).toBe('19850312-****');
    expect(pnr.examples[2]!.value).toBe('19850312-****');
  });

  it('lets no full personnummer appear anywhere in the output: JSON, JSON-LD or HTML', () => {
    expect(JSON.stringify(report)).not.toMatch(FULL_IDENTIFIER);
    expect(qualityPage(report, { query: '' })).not.toMatch(FULL_IDENTIFIER);
    expect(JSON.stringify(qualityJsonld(report, 'https://hub.example/quality'))).not.toMatch(FULL_IDENTIFIER);
  });

  it('reports unreadable log lines with their line number and still counts the rest', () => {
    expect(report.problems.map((p) => p.where)).toEqual(['ingests.jsonl:5', 'ingests.jsonl:6']);
    expect(report.problems[0]!.message).toMatch(/^not valid JSON/);
    expect(report.problems[1]!.message).toBe('"rejected" must be a whole number between 0 and "records"');
  });

  it('lists every source system the catalog names, those without an ingest last', () => {
    const names = report.sources.map((s) => s.sourceSystem);
    expect(names.slice(0, 2)).toEqual(['skatteverket-inkomst', 'fk-arendesystem']);
    expect(report.sources.find((s) => s.sourceSystem === 'navet')).toMatchObject({ ingests: 0, records: 0, rules: [] });
  });

  it('narrows to one source system, and refuses one nobody knows with source-system-not-found', async () => {
    const log = parseQualityLog(await readFile(FIXTURE_LOG, 'utf8'), 'ingests.jsonl');
    const only = buildQualityReport(log, catalog, { source: 'fk-arendesystem' });
    expect(only.sources.map((s) => s.sourceSystem)).toEqual(['fk-arendesystem']);
    expect(only).toMatchObject({ records: 200, rejected: 2, filter: { source: 'fk-arendesystem' } });
    expect(() => buildQualityReport(log, catalog, { source: 'no-such-system' })).toThrow(expect.objectContaining({ code: 'source-system-not-found' }));
    const ds = buildQualityReport(log, catalog, { dataset: 'https://w3id.org/datalyft/dataset/fk-inkomster' });
    expect(ds.datasets.map((d) => d.datasetId)).toEqual(['fk-inkomster']);
  });

  it('reads as JSON-LD with our context, with nothing dropped (safe mode)', async () => {
    const quads = await jsonldToQuads(qualityJsonld(report, 'https://hub.example/quality'));
    expect(quads.length).toBeGreaterThan(100);
  });
});

describe('the quality log', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-quality-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is empty when the data directory has none yet', async () => {
    expect(await fileQualityLog(dataDir).read()).toEqual({ outcomes: [], problems: [] });
  });

  it('turns a batch\'s violations into an outcome by rule, masks examples, and reads back what it appends', async () => {
    const outcome = outcomeOf({
      time: new Date('2026-12-03T08:00:00Z'), sourceSystem: 'skatteverket-inkomst', dataset: 'skatteverket-inkomstuppgifter', records: 10,
      violations: [
        { record: 1, rule: 'personnummer', layer: 'door', field: 'pnr', value: '198503121234', message: 'wrong check digit in 198503121234' },
        { record: 1, rule: 'required', layer: 'door', field: 'period', message: 'period is required' },
        { record: 4, rule: 'personnummer', layer: 'door', field: 'pnr', value: '199001011239', message: 'no such date' },
      ],
    }, { examplesPerRule: 1 });
    expect(outcome).toMatchObject({ records: 10, rejected: 2, committed: false });
    expect(outcome.violations.map((v) => [v.rule, v.count, v.records, v.examples?.length])).toEqual([['personnummer', 2, 2, 1], ['required', 1, 1, 1]]);
    expect(outcome.violations[0]!.examples![0]).toMatchObject({ value: '19850312-****', message: 'wrong check digit in 19850312-****' });
    await appendQualityLog(dataDir, outcome);
    await appendQualityLog(dataDir, outcomeOf({ time: '2026-12-03T09:00:00Z', sourceSystem: 'navet', dataset: 'navet-folkbokforing', records: 5, violations: [] }));
    const read = await fileQualityLog(dataDir).read();
    expect(read.problems).toEqual([]);
    expect(read.outcomes.map((o) => [o.sourceSystem, o.records, o.rejected, o.committed])).toEqual([['skatteverket-inkomst', 10, 2, false], ['navet', 5, 0, true]]);
  });

  it('reports a torn last line (a crash mid-append) as a problem, not a failure', async () => {
    await writeFile(qualityLogPath(dataDir), `${await readFile(qualityLogPath(dataDir), 'utf8')}{"time":"2026-12-03T10:0`, 'utf8');
    const read = await fileQualityLog(dataDir).read();
    expect(read.outcomes).toHaveLength(2);
    expect(read.problems).toEqual([expect.objectContaining({ where: 'quality/ingests.jsonl:3', message: expect.stringMatching(/torn last line/) })]);
  });

  it('refuses to append something that is not an outcome', async () => {
    await mkdir(dataDir, { recursive: true });
    await expect(appendQualityLog(dataDir, { time: 'yesterday', sourceSystem: 'x', dataset: 'y', records: 1, rejected: 0, violations: [] })).rejects.toMatchObject({ code: 'quality-outcome-invalid' });
  });
});
