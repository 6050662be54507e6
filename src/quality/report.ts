/**
 * The quality report: what validation at the door and in the graph found, per source system
 * and dataset, over the ingests in the quality log. Counts of violations by rule, the share
 * of records affected, a few examples with identity numbers masked, and the trend over
 * ingests. It is the instrument SOU 2025:108 asks for to map errors in employers'
 * individual income statements: every source system the catalog names gets its per-rule
 * table, whether or not it has delivered yet, so a source without data shows as such.
 *
 * Pure over (log contents, catalog). The result's keys read as JSON-LD under
 * QUALITY_CONTEXT, so the same object is the JSON and the JSON-LD form.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { LangText } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { CONTEXT_URL } from '../rdf/jsonld.ts';
import { maskIdentifiers } from './mask.ts';
import type { IngestOutcome, LogProblem, QualityLogContents, ViolationExample } from './types.ts';

export const QUALITY_VOCAB = 'https://w3id.org/datalyft/report#';

export const QUALITY_CONTEXT: unknown[] = [CONTEXT_URL, {
  '@vocab': QUALITY_VOCAB,
  dataset: { '@id': `${QUALITY_VOCAB}dataset`, '@type': '@id' },
}];

export interface QualityOptions {
  /** Examples kept per rule (most recent first). Default 3. */
  examplesPerRule?: number;
  /** Only this source system. */
  source?: string;
  /** Only this dataset (id or IRI). */
  dataset?: string;
}

export interface RuleQuality {
  rule: string;
  layer?: 'door' | 'graph';
  /** Violations of the rule. */
  count: number;
  /** Records with at least one violation of the rule. */
  records: number;
  /** records / all records received, rounded to 4 decimals. */
  share: number;
  examples: ViolationExample[];
}

export interface TrendPoint {
  time: string;
  ingest?: string;
  datasetId?: string;
  records: number;
  rejected: number;
  share: number;
  violations: number;
  committed?: boolean;
}

interface Totals {
  ingests: number;
  records: number;
  /** Records with at least one violation. */
  rejected: number;
  /** rejected / records, rounded to 4 decimals. */
  share: number;
  violations: number;
  firstIngest?: string;
  lastIngest?: string;
}

export interface DatasetQuality extends Totals {
  sourceSystem: string;
  /** Dataset IRI, when the catalog has the dataset. */
  dataset?: string;
  datasetId: string;
  title: LangText;
  inCatalog: boolean;
  rules: RuleQuality[];
  trend: TrendPoint[];
}

export interface SourceQuality extends Totals {
  sourceSystem: string;
  /** Datasets the catalog says the source system feeds (`dl:sourceSystem`), ids. */
  feeds: string[];
  /** Titles of those datasets, so a reader sees what the source is. */
  feedTitles: LangText[];
  /** Datasets it has delivered into, ids. */
  datasets: string[];
  rules: RuleQuality[];
  trend: TrendPoint[];
}

export interface QualityReport extends Totals {
  type: 'QualityReport';
  sourceSystems: number;
  datasetCount: number;
  sources: SourceQuality[];
  datasets: DatasetQuality[];
  /** Log entries that could not be read; the rest still counts. */
  problems: LogProblem[];
  filter?: { source?: string; datasetId?: string };
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000;
}

function langText(t: LangText): LangText {
  const out: LangText = {};
  if (t.sv) out.sv = t.sv;
  if (t.en) out.en = t.en;
  return out;
}

function maskExample(e: ViolationExample): ViolationExample {
  const out: ViolationExample = { message: maskIdentifiers(e.message) };
  if (e.record !== undefined) out.record = e.record;
  if (e.field !== undefined) out.field = maskIdentifiers(e.field);
  if (e.path !== undefined) out.path = maskIdentifiers(e.path);
  if (e.element !== undefined) out.element = e.element;
  if (e.value !== undefined) out.value = maskIdentifiers(String(e.value));
  return out;
}

function totals(outcomes: IngestOutcome[]): Totals {
  const records = outcomes.reduce((n, o) => n + o.records, 0);
  const rejected = outcomes.reduce((n, o) => n + o.rejected, 0);
  const times = outcomes.map((o) => o.time).sort();
  return {
    ingests: outcomes.length, records, rejected, share: share(rejected, records),
    violations: outcomes.reduce((n, o) => n + o.violations.reduce((m, v) => m + v.count, 0), 0),
    ...(times.length > 0 ? { firstIngest: times[0]!, lastIngest: times[times.length - 1]! } : {}),
  };
}

/** Rules over several ingests, most frequent first; examples from the latest ingests first. */
function rules(outcomes: IngestOutcome[], examplesPerRule: number): RuleQuality[] {
  const records = outcomes.reduce((n, o) => n + o.records, 0);
  const byRule = new Map<string, { rule: string; layer?: 'door' | 'graph'; count: number; records: number; examples: ViolationExample[] }>();
  const latestFirst = [...outcomes].sort((a, b) => b.time.localeCompare(a.time));
  for (const o of latestFirst) {
    for (const v of o.violations) {
      const key = `${v.rule}\u0000${v.layer ?? ''}`;
      let r = byRule.get(key);
      if (!r) {
        r = { rule: v.rule, ...(v.layer ? { layer: v.layer } : {}), count: 0, records: 0, examples: [] };
        byRule.set(key, r);
      }
      r.count += v.count;
      r.records += Math.min(v.records ?? v.count, o.records);
      for (const e of v.examples ?? []) if (r.examples.length < examplesPerRule) r.examples.push(maskExample(e));
    }
  }
  return [...byRule.values()]
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .map((r) => ({ ...r, share: share(r.records, records) }));
}

function trend(outcomes: IngestOutcome[], options: { withDataset: (o: IngestOutcome) => string | undefined }): TrendPoint[] {
  return [...outcomes].sort((a, b) => a.time.localeCompare(b.time)).map((o) => {
    const datasetId = options.withDataset(o);
    return {
      time: o.time,
      ...(o.ingest ? { ingest: maskIdentifiers(o.ingest) } : {}),
      ...(datasetId ? { datasetId } : {}),
      records: o.records, rejected: o.rejected, share: share(o.rejected, o.records),
      violations: o.violations.reduce((n, v) => n + v.count, 0),
      ...(o.committed !== undefined ? { committed: o.committed } : {}),
    };
  });
}

/** Worst first: the largest share of records affected, then the most records. */
function worstFirst<T extends Totals & { sourceSystem: string }>(a: T, b: T): number {
  return Number(b.ingests > 0) - Number(a.ingests > 0) || b.share - a.share || b.records - a.records || a.sourceSystem.localeCompare(b.sourceSystem);
}

export function buildQualityReport(log: QualityLogContents, catalog: Catalog, options: QualityOptions = {}): QualityReport {
  const examplesPerRule = options.examplesPerRule ?? 3;
  const datasetIri = (idOrIri: string) => catalog.resolve('dataset', idOrIri);
  const datasetId = (idOrIri: string) => catalog.datasets.get(datasetIri(idOrIri) ?? '')?.id ?? idOrIri;

  let filterDataset: string | undefined;
  if (options.dataset) filterDataset = datasetIri(options.dataset) ? datasetId(options.dataset) : options.dataset;
  const outcomes = log.outcomes.filter((o) => (!options.source || o.sourceSystem === options.source) && (!filterDataset || datasetId(o.dataset) === filterDataset));
  if (options.dataset && !datasetIri(options.dataset) && outcomes.length === 0) catalog.requireDataset(options.dataset);

  // Source systems: those the catalog names and those in the log.
  const feeds = new Map<string, string[]>();
  for (const ds of catalog.datasets.values()) if (ds.sourceSystem) feeds.set(ds.sourceSystem, [...(feeds.get(ds.sourceSystem) ?? []), ds.id]);
  if (options.source && !feeds.has(options.source) && outcomes.length === 0) {
    throw new DatalyftError('source-system-not-found', `No source system "${options.source}" in the catalog or the quality log. Use one of ${[...feeds.keys()].sort().join(', ')}.`, {
      status: 404, where: { source: options.source },
    });
  }
  const sourceNames = new Set([...outcomes.map((o) => o.sourceSystem)]);
  if (!filterDataset) for (const name of feeds.keys()) if (!options.source || name === options.source) sourceNames.add(name);

  const sources: SourceQuality[] = [...sourceNames].map((sourceSystem) => {
    const own = outcomes.filter((o) => o.sourceSystem === sourceSystem);
    const fed = (feeds.get(sourceSystem) ?? []).sort();
    return {
      sourceSystem, feeds: fed,
      feedTitles: fed.map((id) => langText(catalog.dataset(id)?.title ?? {})),
      datasets: [...new Set(own.map((o) => datasetId(o.dataset)))].sort(),
      ...totals(own),
      rules: rules(own, examplesPerRule),
      trend: trend(own, { withDataset: (o) => datasetId(o.dataset) }),
    };
  }).sort(worstFirst);

  const groups = new Map<string, IngestOutcome[]>();
  for (const o of outcomes) {
    const key = `${o.sourceSystem}\u0000${datasetId(o.dataset)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const datasets: DatasetQuality[] = [...groups.entries()].map(([key, own]) => {
    const [sourceSystem, id] = key.split('\u0000') as [string, string];
    const ds = catalog.dataset(id);
    return {
      sourceSystem, ...(ds ? { dataset: ds.iri } : {}), datasetId: id, title: langText(ds?.title ?? {}), inCatalog: !!ds,
      ...totals(own),
      rules: rules(own, examplesPerRule),
      trend: trend(own, { withDataset: () => undefined }),
    };
  }).sort((a, b) => worstFirst(a, b) || a.datasetId.localeCompare(b.datasetId));

  const filter = options.source || filterDataset ? { ...(options.source ? { source: options.source } : {}), ...(filterDataset ? { datasetId: filterDataset } : {}) } : undefined;
  return {
    type: 'QualityReport',
    ...totals(outcomes),
    sourceSystems: new Set(outcomes.map((o) => o.sourceSystem)).size,
    datasetCount: groups.size,
    sources, datasets,
    problems: log.problems.map((p) => ({ where: p.where, message: maskIdentifiers(p.message) })),
    ...(filter ? { filter } : {}),
  };
}

export function qualityJsonld(report: QualityReport, id: string): Record<string, unknown> {
  return { '@context': QUALITY_CONTEXT, id, ...report };
}
