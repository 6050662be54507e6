/**
 * Ingest: source records → the door (JSON Schema, ajv) → the mapping (compiled from its
 * JSON-LD context) → the graph layer (SHACL, shacl-engine) → ONE store commit.
 *
 * Every check runs before the commit, so a batch is all-or-nothing: a batch with any
 * violation is refused with 422 `batch-rejected` listing every violation (record index,
 * field, rule, message), and the store is not touched. Each ingest, accepted or not, is
 * written to the quality log (quality.ts).
 *
 * Quads land in the named graph of their element's protection class (catalog.graphFor),
 * per year where the dataset is partitioned; rdf:type goes to the dataset's least
 * protected class. Nothing here names a dataset: it all follows from the catalog and the
 * mappings.
 */
import type { Quad } from '@rdfjs/types';
import type { Catalog } from '../catalog/catalog.ts';
import type { Dataset, Principal } from '../catalog/model.ts';
import type { Config } from '../config.ts';
import { DatalyftError } from '../errors.ts';
import { CONTEXT_URL } from '../rdf/jsonld.ts';
import { RECORD_GRAPH_BASE, shorten } from '../rdf/namespaces.ts';
import { factory } from '../rdf/parse.ts';
import { appendQualityLog, outcomeOf } from '../quality/log.ts';
import type { HubStore } from '../store/types.ts';
import { guardRecords } from './guard.ts';
import { graphChooser, mapRecord, MappingRegistry, prepareRecord, recordId, subjectIri, type CompiledField, type Layout } from './mapping.ts';
import { checkAtDoor } from './schema.ts';
import { RecordShapes, ShaclWorker, type ShapeFinding } from './shapes.ts';
import { dedupeViolations, maskValue, pointer, type Violation } from './violations.ts';

/**
 * Records per SHACL run. shacl-engine's memory grows with the data graph, and small chunks
 * let the worker validate while the door checks the next records.
 */
export const SHACL_CHUNK = 1000;

/** Mappings and shapes of one catalog, compiled once and shared by every ingest. */
export class IngestEngine {
  readonly mappings: MappingRegistry;
  /** The graph layer runs in a worker thread (in-process when it is off or fails). */
  readonly shacl = new ShaclWorker();
  private readonly shapes = new Map<string, RecordShapes>();
  private readonly predicateFields = new WeakMap<Layout, Map<string, CompiledField>>();

  constructor(readonly catalog: Catalog, mappings?: MappingRegistry) {
    this.mappings = mappings ?? new MappingRegistry(catalog);
  }

  shapesFor(dataset: Dataset): RecordShapes {
    let s = this.shapes.get(dataset.iri);
    if (!s) {
      s = RecordShapes.of(this.catalog, dataset);
      this.shapes.set(dataset.iri, s);
    }
    return s;
  }

  fieldOfPredicate(layout: Layout, predicate: string | undefined): CompiledField | undefined {
    if (!predicate) return undefined;
    let map = this.predicateFields.get(layout);
    if (!map) {
      map = new Map();
      for (const f of layout.fields) if (!map.has(f.predicate.value)) map.set(f.predicate.value, f);
      this.predicateFields.set(layout, map);
    }
    return map.get(predicate);
  }

  /** Context URLs a record may name (they are ours and served offline); all others are remote. */
  localContexts(): Set<string> {
    return new Set([CONTEXT_URL, ...[...this.mappings.mappings.values()].map((m) => m.contextUrl)]);
  }
}

const engines = new WeakMap<Catalog, IngestEngine>();

export function ingestEngine(catalog: Catalog): IngestEngine {
  let e = engines.get(catalog);
  if (!e) {
    e = new IngestEngine(catalog);
    engines.set(catalog, e);
  }
  return e;
}

export interface IngestDeps {
  catalog: Catalog;
  store: HubStore;
  config: Pick<Config, 'dataDir'>;
  now?: () => Date;
  log?: (line: string) => void;
  /** Defaults to the shared engine of the catalog. */
  engine?: IngestEngine;
}

export interface IngestRequest {
  /** Dataset id or IRI. */
  dataset: string;
  /** Source system whose layout the records are in; default: the dataset's dl:sourceSystem. */
  sourceSystem?: string;
  records: unknown[];
  /** Principal id or IRI; its role must have dl:mayWrite the dataset. */
  principal: string | undefined;
  /** For the quality log: http, cli, demo, api. */
  via?: string;
  /**
   * `reject-batch` (default): one violation refuses the batch. `skip-records`: records with
   * violations are left out (and logged), the others load in one commit. The demo loader
   * uses this to load realistic data with realistic errors; the HTTP API never does.
   */
  invalid?: 'reject-batch' | 'skip-records';
  /** Replace earlier versions of the same records (default true). False skips the look-up when the records are known to be new. */
  upsert?: boolean;
}

export interface IngestResult {
  dataset: string;
  sourceSystem: string;
  records: number;
  accepted: number;
  rejected: number;
  /** Quads added. */
  quads: number;
  /** Quads of earlier versions replaced. */
  replaced: number;
  /** Named graphs written to. */
  graphs: string[];
  /** With `skip-records`: the violations of the records left out. */
  violations: Violation[];
}

export function resolvePrincipal(catalog: Catalog, principal: string | undefined): Principal {
  if (!principal) {
    throw new DatalyftError('authentication-required', 'Writing records needs an authenticated principal: send Authorization: Bearer <token>.', { status: 401 });
  }
  const iri = catalog.resolve('principal', principal);
  const p = iri ? catalog.principals.get(iri) : undefined;
  if (!p) throw new DatalyftError('unknown-principal', `Principal "${principal}" is not in the catalog (catalog/principals/).`, { status: 401, where: { principal } });
  return p;
}

/** Throws 401/403 unless the principal's role has dl:mayWrite the dataset. */
export function assertMayWrite(catalog: Catalog, principal: string | undefined, dataset: Dataset): Principal {
  const p = resolvePrincipal(catalog, principal);
  const role = p.role ? catalog.roles.get(p.role) : undefined;
  if (!role || !role.mayWrite.includes(dataset.iri)) {
    const writers = dataset.writers.map((w) => catalog.roles.get(w)?.id ?? shorten(w));
    throw new DatalyftError('write-not-permitted', `${p.id} (role ${role?.id ?? 'none'}) may not write records of ${dataset.id}: the role has no dl:mayWrite for it. ${writers.length > 0 ? `Roles that may: ${writers.join(', ')}.` : 'No role may write it yet.'}`, {
      status: 403, where: { principal: p.id, dataset: dataset.id }, extra: { writers },
    });
  }
  return p;
}

export interface CheckedBatch {
  layout: Layout;
  /** Quads per record index; undefined for a record with a violation at the door. */
  quads: (Quad[] | undefined)[];
  violations: Violation[];
  /** Record indexes with at least one violation. */
  invalid: Set<number>;
}

/** Runs both layers over a batch and returns what they found; never throws for a violation. */
export async function checkBatch(engine: IngestEngine, dataset: Dataset, layout: Layout, records: Record<string, unknown>[]): Promise<CheckedBatch> {
  const graphOf = graphChooser(engine.catalog, dataset);
  const shapes = engine.shapesFor(dataset);
  const violations: Violation[] = [];
  const quads: (Quad[] | undefined)[] = new Array(records.length);
  const subjects = new Map<string, number>();
  const localContexts = engine.localContexts();
  // The graph layer runs on chunks of passed records while the door checks the next ones.
  const running: Promise<ShapeFinding[]>[] = [];
  let chunk: Quad[] = [];
  let inChunk = 0;
  const flush = (): void => {
    if (inChunk === 0) return;
    running.push(engine.shacl.validate(shapes, chunk));
    chunk = [];
    inChunk = 0;
  };
  for (let i = 0; i < records.length; i++) {
    let raw = records[i]!;
    if ('@context' in raw && typeof raw['@context'] === 'string' && localContexts.has(raw['@context'])) {
      const { '@context': _ignored, ...rest } = raw;
      raw = rest;
    }
    const prepared = prepareRecord(layout, raw);
    const door = checkAtDoor(layout, i, prepared);
    if (door.length > 0) {
      violations.push(...dedupeViolations(door));
      continue;
    }
    const id = recordId(layout, prepared)!;
    const subject = subjectIri(dataset, id);
    const earlier = subjects.get(subject);
    if (earlier !== undefined) {
      violations.push({
        record: i, field: layout.idFields.join('+'), path: pointer(layout.idFields[0]), rule: 'duplicate-id', layer: 'door',
        message: `Record ${i} has the same id (${layout.idFields.join(' + ')}) as record ${earlier}; a batch holds each record once.`,
      });
      continue;
    }
    subjects.set(subject, i);
    const mapped = mapRecord(layout, prepared, subject, graphOf);
    quads[i] = mapped;
    for (const q of mapped) chunk.push(q);
    if (++inChunk >= SHACL_CHUNK) flush();
  }
  flush();
  for (const findings of await Promise.all(running)) {
    for (const finding of findings) {
      const index = subjects.get(finding.subject);
      if (index === undefined) continue;
      const f = engine.fieldOfPredicate(layout, finding.predicate);
      const value = maskValue(finding.value, f?.element);
      violations.push({
        record: index, ...(f ? { field: f.field, element: f.element.id } : {}), path: pointer(f?.field), rule: finding.rule,
        message: `${f ? `"${f.field}" ` : ''}${finding.message}`, layer: 'graph', ...(value !== undefined ? { value } : {}),
      });
    }
  }
  const sorted = dedupeViolations(violations).sort((a, b) => a.record - b.record || a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
  return { layout, quads, violations: sorted, invalid: new Set(sorted.map((v) => v.record)) };
}

function quadKey(q: Quad): string {
  const o = q.object;
  const obj = o.termType === 'Literal' ? `"${o.value}"^^${(o as { datatype: { value: string } }).datatype.value}@${(o as { language: string }).language}` : o.value;
  return `${q.subject.value} ${q.predicate.value} ${obj} ${q.graph.value}`;
}

/** Quads already in the store for these subjects, in the dataset's graphs. */
async function earlierVersions(store: HubStore, dataset: Dataset, subjects: string[]): Promise<Quad[]> {
  const prefix = `${RECORD_GRAPH_BASE}${dataset.id}/`;
  const graphs = (await store.graphs()).filter((g) => g.startsWith(prefix));
  if (graphs.length === 0 || subjects.length === 0) return [];
  const out: Quad[] = [];
  for (let start = 0; start < subjects.length; start += 500) {
    const values = subjects.slice(start, start + 500).map((s) => `<${s}>`).join(' ');
    const rows = await store.select(`SELECT ?s ?p ?o ?g WHERE { VALUES ?s { ${values} } GRAPH ?g { ?s ?p ?o } }`, { defaultGraphs: [], namedGraphs: graphs });
    for (const r of rows) {
      const o = r.o!;
      const object = o.type === 'uri' ? factory.namedNode(o.value) : o.type === 'bnode' ? factory.blankNode(o.value) : factory.literal(o.value, o['xml:lang'] ?? (o.datatype ? factory.namedNode(o.datatype) : undefined));
      out.push(factory.quad(factory.namedNode(r.s!.value), factory.namedNode(r.p!.value), object, factory.namedNode(r.g!.value)));
    }
  }
  return out;
}

/** A batch that passed both layers (or, with `skip-records`, its records that did), ready to write. */
export interface PreparedBatch {
  readonly dataset: string;
  readonly sourceSystem: string;
  readonly records: number;
  readonly accepted: number;
  /** Writes the batch in one commit (replacing earlier versions of its records) and logs it. */
  commit(): Promise<IngestResult>;
}

/**
 * Checks a batch with both layers, touching nothing: refuses it with 422 `batch-rejected`
 * listing every violation (after logging them for the quality report), or returns it ready
 * to commit. Callers that pipeline batches check the next one while this one commits, and
 * commit in order.
 */
export async function prepareBatch(deps: IngestDeps, request: IngestRequest): Promise<PreparedBatch> {
  const { catalog, store } = deps;
  const engine = deps.engine ?? ingestEngine(catalog);
  const now = deps.now ?? (() => new Date());
  const dataset = catalog.requireDataset(request.dataset);
  assertMayWrite(catalog, request.principal, dataset);
  const layout = engine.mappings.layout(dataset, request.sourceSystem);
  guardRecords(request.records, { localContexts: engine.localContexts() });
  const records = request.records as Record<string, unknown>[];
  const checked = await checkBatch(engine, dataset, layout, records);
  const mode = request.invalid ?? 'reject-batch';
  const ingestId = `${dataset.id}@${now().toISOString()}`;
  const logOutcome = async (committed: boolean): Promise<void> => {
    try {
      await appendQualityLog(deps.config.dataDir, outcomeOf({
        time: now(), ingest: ingestId, sourceSystem: layout.sourceSystem, dataset: dataset.id, records: records.length, violations: checked.violations, committed,
      }));
    } catch (error) {
      deps.log?.(`quality log: ${(error as Error).message}`);
    }
  };
  if (checked.violations.length > 0 && mode === 'reject-batch') {
    await logOutcome(false);
    const rules = [...new Set(checked.violations.map((v) => v.rule))].sort();
    throw new DatalyftError('batch-rejected', `${checked.invalid.size} of ${records.length} records of ${dataset.id} violate the ${layout.sourceSystem} layout or the record shapes (${rules.join(', ')}); nothing was written. Fix them and send the batch again.`, {
      status: 422, where: { dataset: dataset.id, sourceSystem: layout.sourceSystem },
      extra: { records: records.length, rejectedRecords: checked.invalid.size, violations: checked.violations },
    });
  }
  const add: Quad[] = [];
  let accepted = 0;
  const subjects: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const q = checked.quads[i];
    if (!q || checked.invalid.has(i)) continue;
    accepted++;
    subjects.push(q[0]!.subject.value);
    for (const x of q) add.push(x);
  }
  let committed = false;
  return {
    dataset: dataset.id, sourceSystem: layout.sourceSystem, records: records.length, accepted,
    async commit(): Promise<IngestResult> {
      if (committed) throw new DatalyftError('batch-committed', 'This batch has been written already.', { status: 500 });
      committed = true;
      let remove: Quad[] = [];
      if (request.upsert !== false && accepted > 0) {
        const adding = new Set(add.map(quadKey));
        remove = (await earlierVersions(store, dataset, subjects)).filter((q) => !adding.has(quadKey(q)));
      }
      if (add.length > 0) {
        await store.commit({ add, ...(remove.length > 0 ? { remove } : {}), note: `ingest ${dataset.id}: ${accepted} records from ${layout.sourceSystem}${remove.length > 0 ? `, replacing ${remove.length} quads` : ''}` });
      }
      await logOutcome(accepted > 0);
      const graphs = [...new Set(add.map((q) => q.graph.value))].sort();
      return {
        dataset: dataset.id, sourceSystem: layout.sourceSystem, records: records.length, accepted, rejected: records.length - accepted,
        quads: add.length, replaced: remove.length, graphs, violations: mode === 'skip-records' ? checked.violations : [],
      };
    },
  };
}

/**
 * Validates a batch with both layers and, if it passes (or with `skip-records`, for the
 * records that pass), writes it in one commit. Throws 422 `batch-rejected` listing every
 * violation, leaving the store untouched.
 */
export async function ingestBatch(deps: IngestDeps, request: IngestRequest): Promise<IngestResult> {
  return (await prepareBatch(deps, request)).commit();
}
