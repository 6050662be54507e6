/**
 * The purpose gate: analyse → decide → audit → run on exactly the permitted graphs →
 * audit what left → answer. Or a refusal that says why, and nothing else.
 *
 * Order matters and is the contract:
 *  1. Protocol, parsing and negotiation errors (400, 403 SERVICE, 406) come first: they
 *     concern the request, not data, and are not decisions.
 *  2. Authentication: an unknown token is 401; no token is enough only for a query that
 *     names no record data and declares no purpose (it runs on the public metadata).
 *  3. From here on every outcome with a principal is a decision and is audited, allow
 *     and deny alike, before anything is answered. If the entry cannot be written the
 *     answer is 503 `audit-unavailable` and the query does not run (fail closed). The
 *     decision entry is written before the query runs and fsync'ed together with the
 *     completion entry before the answer leaves (one fsync per request, shared by the
 *     requests in flight); if that fsync fails, the answer is 503 and nothing leaves.
 *  4. A permitted query runs on the store restricted to the permitted graphs (or to the
 *     subset the request names with FROM / default-graph-uri, each of which must be
 *     permitted). The engine gets the gate's re-serialised query, never the raw text.
 *  5. Rows are counted, capped (maxRows, flagged) and, for a statistics purpose, small
 *     groups are suppressed; the count goes into a completion entry that is written
 *     before the response is sent. A denied request leaks nothing: it never ran.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import { DatalyftError, isDatalyftError } from '../errors.ts';
import { immutable, type AuditEntry, type AuditReason, type AuditRecord } from '../audit/log.ts';
import { decide } from '../policy/decide.ts';
import type { Decision, DecisionRequest, Reason } from '../policy/types.ts';
import { shorten } from '../rdf/namespaces.ts';
import type { HubStore } from '../store/types.ts';
import { analyseQuery, datasetOfGraph, freshVariable, METADATA_GRAPHS, rewriteQuery, type QueryAnalysis } from './analyse.ts';
import { authenticate, type TokenStore } from './auth.ts';
import { readProtocolRequest, type ProtocolRequest } from './protocol.ts';
import {
  contentTypeOf, negotiateResult, parseBindings, parseTriples, writeBoolean, writeGraph, writeTable,
  type BindingsType, type GraphType, type ResultType, type Row,
} from './results.ts';

/** The audit trail as the gate uses it (AuditLog; tests pass failing ones). */
export interface AuditTrail {
  /** Writes an entry and makes it durable before returning. */
  append(record: AuditRecord, time: Date): AuditEntry;
  /** Writes an entry that `sync` makes durable (AuditLog: group commit); without it the gate appends. */
  write?(record: AuditRecord, time: Date): AuditEntry;
  sync?(): Promise<void>;
  readAll(): AuditEntry[];
  close(): void;
}

/** Writes an entry; it is durable once `durable` has resolved. */
function record(audit: AuditTrail, entry: AuditRecord, time: Date): AuditEntry {
  return audit.write ? audit.write(entry, time) : audit.append(entry, time);
}

/** Resolves when every entry written so far is on disk: awaited before anything is answered. */
async function durable(audit: AuditTrail): Promise<void> {
  await audit.sync?.();
}

export interface GateDeps {
  config: Config;
  catalog: Catalog;
  store: HubStore;
  audit: AuditTrail;
  tokens: TokenStore;
  now: () => Date;
  log: (line: string) => void;
}

export interface GateResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string;
}

// ---------------------------------------------------------------------------------------
// Regime and purpose

/** Regimes for `regime=both` (explain): every regime of the catalog, enacted law first. */
export function allRegimes(catalog: Catalog): string[] {
  return [...catalog.regimes.values()].sort((a, b) => Number(a.isProposal) - Number(b.isProposal) || a.id.localeCompare(b.id)).map((r) => r.iri);
}

export function resolveRegime(catalog: Catalog, config: Config, given: string | undefined): string {
  const iri = catalog.resolve('regime', given ?? config.defaultRegime);
  if (!iri) {
    const known = [...catalog.regimes.values()].map((r) => r.id).join(', ');
    throw new DatalyftError('unknown-regime', `Unknown regime "${given}"; use one of ${known}${given === 'both' ? ' (regime=both is for /sparql/explain only)' : ''}.`, { status: 400, where: { parameter: 'regime' } });
  }
  return iri;
}

export function resolvePurpose(catalog: Catalog, given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  const iri = catalog.resolve('purpose', given);
  if (!iri) {
    throw new DatalyftError('unknown-purpose', `Unknown purpose "${given}"; GET /purposes lists the purposes (short id or IRI).`, { status: 400, where: { parameter: 'purpose' } });
  }
  return iri;
}

// ---------------------------------------------------------------------------------------
// Judgement: decide() plus the gate's own checks, for the gate and for explain alike

export interface Judgement {
  decision: Decision;
  /** The graphs the query runs on. */
  defaultGraphs: string[];
  namedGraphs: string[];
}

/**
 * Decisions already taken, per catalog: decide() is a pure function of the request and the
 * catalog, and of the time only through the day (regimes are in force from a date), so the
 * same principal, purpose, regime, day and query facts get the same decision. Every lookup
 * by a control investigator for the same purpose is the same decision about different
 * persons; deciding it once saves the walk over every dataset of the catalog. Cached
 * decisions are deep-frozen (a caller that mutated one would throw, not corrupt the next
 * request) and handed out with the request's own time.
 */
const decisionCache = new WeakMap<Catalog, Map<string, Decision>>();
const DECISION_CACHE_SIZE = 1000;

function decideOnce(request: DecisionRequest, catalog: Catalog): Decision {
  const key = JSON.stringify([
    request.principal ?? null, request.purpose ?? null, request.regime, request.time.toISOString().slice(0, 10),
    request.datasetsNamed, request.elementsNamed ?? [], request.selectionElements, request.aggregateOnly, request.metadataOnly, request.existingGraphs ?? null,
  ]);
  let cache = decisionCache.get(catalog);
  if (!cache) decisionCache.set(catalog, (cache = new Map()));
  let decision = cache.get(key);
  if (!decision) {
    decision = immutable(decide(request, catalog));
    if (cache.size >= DECISION_CACHE_SIZE) cache.clear();
    cache.set(key, decision);
  }
  return { ...decision, time: request.time.toISOString() };
}

const graphCache = new WeakMap<HubStore, { at: number; graphs: Promise<string[]> }>();
const GRAPH_CACHE_MS = 5000;

/**
 * Graphs present in the store, for year-partitioned datasets (one graph per year). Cached
 * for a few seconds: a stale list only ever withholds a brand-new year (fail closed) or
 * lists an erased, empty one.
 */
function existingGraphs(store: HubStore, now: number): Promise<string[]> {
  const cached = graphCache.get(store);
  if (cached && now - cached.at < GRAPH_CACHE_MS) return cached.graphs;
  const graphs = store.graphs();
  graphCache.set(store, { at: now, graphs });
  graphs.catch(() => graphCache.delete(store));
  return graphs;
}

function citation(catalog: Catalog, provision: string | undefined): string | undefined {
  return provision ? (catalog.provisions.get(provision)?.citation ?? shorten(provision)) : undefined;
}

function refuse(decision: Decision, code: string, status: number, reasons: Reason[]): Decision {
  return {
    ...decision, allow: false, code, status, graphs: [],
    reasons: [...decision.reasons, ...reasons],
    provisions: [...new Set([...decision.provisions, ...reasons.map((r) => r.provision).filter((p): p is string => !!p)])],
  };
}

/** Why a graph is not among the permitted ones: the class or dataset decision behind it. */
function graphReason(catalog: Catalog, decision: Decision, graph: string, where: string): Reason {
  const datasetIri = datasetOfGraph(catalog, graph);
  const dataset = decision.datasets.find((d) => d.dataset === datasetIri);
  const cls = dataset?.classes.find((c) => c.graph === graph || catalog.graphFor(catalog.datasets.get(dataset.dataset)!, c.protectionClass) === graph);
  const behind = cls?.reasons.find((r) => r.outcome === 'deny') ?? dataset?.reasons.find((r) => r.outcome === 'deny');
  const message = datasetIri
    ? `${where} names ${shorten(graph)}, a graph this purpose may not reach${behind ? `: ${behind.message}` : '.'}`
    : `${where} names ${graph.startsWith('http') ? `<${graph}>` : graph}, which is not a graph this request may reach; the gate chooses the graphs.`;
  return {
    code: 'graph-not-permitted', outcome: 'deny', message,
    ...(behind?.provision ? { provision: behind.provision, citation: behind.citation ?? citation(catalog, behind.provision) } : {}),
    ...(datasetIri ? { dataset: datasetIri } : {}),
    ...(cls ? { protectionClass: cls.protectionClass } : {}),
  };
}

export interface JudgeInput {
  analysis?: QueryAnalysis;
  principal?: string;
  purpose?: string;
  regime: string;
  protocol: Pick<ProtocolRequest, 'defaultGraphUris' | 'namedGraphUris'>;
}

export async function judge(deps: Pick<GateDeps, 'catalog' | 'store' | 'now'>, input: JudgeInput): Promise<Judgement> {
  const { catalog } = deps;
  const time = deps.now();
  const a = input.analysis;
  const request: DecisionRequest = {
    principal: input.principal,
    purpose: input.purpose,
    regime: input.regime,
    time,
    datasetsNamed: a?.datasetsNamed ?? [],
    elementsNamed: a?.elementsNamed ?? [],
    selectionElements: a?.selectionElements ?? [],
    aggregateOnly: a?.aggregateOnly ?? false,
    // With a purpose declared the request is about records, whatever the query names.
    metadataOnly: (a?.metadataOnly ?? true) && !input.purpose,
  };
  let decision = decideOnce(request, catalog);
  // Only a decision that allows a year-partitioned dataset needs the store's graph list
  // (its graphs are one per year present); most queries never pay for listing graphs.
  if (decision.datasets.some((d) => d.allowed && catalog.datasets.get(d.dataset)?.partitionedBy)) {
    request.existingGraphs = await existingGraphs(deps.store, time.getTime());
    decision = decideOnce(request, catalog);
  }

  // A selection on a value with the predicate left open (?p, !(...)) is a selection on
  // every element the purpose reaches: decide again with those elements.
  if (decision.allow && a?.selectsOnAnyPredicate) {
    const reachable = decision.datasets.filter((d) => d.allowed).flatMap((d) => {
      const classes = new Set(d.classes.filter((c) => c.allowed).map((c) => c.protectionClass));
      return (catalog.datasets.get(d.dataset)?.elements ?? []).filter((e) => e.protectionClass && classes.has(e.protectionClass)).map((e) => e.iri);
    });
    decision = decideOnce({ ...request, selectionElements: [...new Set([...request.selectionElements, ...reachable])] }, catalog);
  }
  if (decision.allow && !input.purpose && a && !a.metadataOnly) {
    // Names record terms shared by several datasets (dlt:personnummer ...) but no purpose:
    // without one it would run on the metadata alone and find nothing, silently.
    decision = refuse(decision, 'purpose-required', 400, [{ code: 'purpose-required', outcome: 'deny', message: 'The query names record data; declare a purpose with the purpose parameter or the Datalyft-Purpose header.' }]);
  }
  if (decision.aggregatesOnly && decision.allow && a && !a.aggregateOnly) {
    // decide() refuses this already; kept so the gate never relies on it alone.
    decision = refuse(decision, 'aggregates-only', 403, [{ code: 'aggregates-only', outcome: 'deny', message: `A statistics purpose gets aggregates only: ${a.aggregateProblem ?? 'the query returns individual rows'}.` }]);
  }
  if (!decision.allow) return { decision, defaultGraphs: [], namedGraphs: [] };

  // The client may narrow the dataset (FROM, FROM NAMED, default-graph-uri,
  // named-graph-uri), never widen it: every graph it names must be permitted.
  const permitted = new Set(decision.graphs);
  const denials: Reason[] = [];
  const refused = new Set<string>();
  const check = (graphs: string[], where: string): void => {
    for (const g of graphs) {
      if (permitted.has(g) || refused.has(g)) continue;
      refused.add(g);
      denials.push(graphReason(catalog, decision, g, where));
    }
  };
  check(input.protocol.defaultGraphUris, 'default-graph-uri');
  check(input.protocol.namedGraphUris, 'named-graph-uri');
  check(a?.from.default ?? [], 'FROM');
  check(a?.from.named ?? [], 'FROM NAMED');
  check(a?.recordGraphsNamed ?? [], 'The query');
  if (denials.length > 0) return { decision: refuse(decision, 'graph-not-permitted', 403, denials), defaultGraphs: [], namedGraphs: [] };

  // SPARQL 1.1 Protocol §2.1.4: the protocol's dataset takes precedence over the query's.
  const protocolDataset = input.protocol.defaultGraphUris.length > 0 || input.protocol.namedGraphUris.length > 0;
  const queryDataset = (a?.from.default.length ?? 0) > 0 || (a?.from.named.length ?? 0) > 0;
  if (protocolDataset) return { decision, defaultGraphs: input.protocol.defaultGraphUris, namedGraphs: input.protocol.namedGraphUris };
  if (queryDataset) return { decision, defaultGraphs: a!.from.default, namedGraphs: a!.from.named };
  return { decision, defaultGraphs: decision.graphs, namedGraphs: decision.graphs };
}

// ---------------------------------------------------------------------------------------
// Audit records

/** auditReasons of cached (immutable) decisions, by their reasons and datasets. */
const auditReasonsOf = new WeakMap<readonly Reason[], { datasets: Decision['datasets']; reasons: AuditReason[] }>();

function auditReasons(decision: Decision): AuditReason[] {
  const cached = auditReasonsOf.get(decision.reasons);
  if (cached && cached.datasets === decision.datasets) return cached.reasons;
  const reasons = collectReasons(decision);
  if (Object.isFrozen(decision.reasons) && Object.isFrozen(decision.datasets)) {
    auditReasonsOf.set(decision.reasons, { datasets: decision.datasets, reasons: immutable(reasons) });
  }
  return reasons;
}

function collectReasons(decision: Decision): AuditReason[] {
  const all = [...decision.reasons, ...decision.datasets.flatMap((d) => [...d.reasons, ...d.classes.flatMap((c) => c.reasons)])];
  const seen = new Set<string>();
  const out: AuditReason[] = [];
  for (const r of all) {
    const key = `${r.code}|${r.dataset ?? ''}|${r.protectionClass ?? ''}|${r.provision ?? ''}|${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: r.code, outcome: r.outcome, message: r.message, provision: r.provision, citation: r.citation, dataset: r.dataset, protectionClass: r.protectionClass });
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface RequestFacts {
  principal: string;
  agency?: string;
  role?: string;
  purpose?: string;
  regime: string;
  transaction: string;
  query?: string;
}

function factsRecord(f: RequestFacts): Omit<AuditRecord, 'kind'> {
  return {
    principal: f.principal, agency: f.agency, role: f.role, purpose: f.purpose, regime: f.regime, transaction: f.transaction,
    queryHash: f.query === undefined ? undefined : sha256Hex(f.query), query: f.query,
  };
}

/** The graphs a judgement runs on (sorted) and their datasets; remembered for a cached decision's graphs. */
const reachOfGraphs = new WeakMap<readonly string[], { graphs: string[]; datasets: (string | undefined)[] }>();

function reachOf(catalog: Catalog, judgement: Judgement): { graphs: string[]; datasets: (string | undefined)[] } {
  const shared = judgement.defaultGraphs === judgement.namedGraphs && Object.isFrozen(judgement.defaultGraphs) ? judgement.defaultGraphs : undefined;
  const known = shared && reachOfGraphs.get(shared);
  if (known) return known;
  const graphs = [...new Set([...judgement.defaultGraphs, ...judgement.namedGraphs])].sort();
  const reach = { graphs, datasets: graphs.map((g) => datasetOfGraph(catalog, g)) };
  if (shared) reachOfGraphs.set(shared, immutable(reach));
  return reach;
}

function decisionRecord(catalog: Catalog, f: RequestFacts, judgement: Judgement, analysis: QueryAnalysis | undefined): AuditRecord {
  const d = judgement.decision;
  // The datasets the request concerned: those it names, those refused, and those whose
  // graphs it ran on (a query with variable predicates may reach any of them).
  const reached = d.allow ? reachOf(catalog, judgement).datasets : [];
  const refused = d.reasons.filter((r) => r.outcome === 'deny').map((r) => r.dataset);
  const datasets = new Set([...(analysis?.datasetsNamed ?? []), ...refused, ...reached].filter((x): x is string => !!x));
  return {
    kind: 'decision', ...factsRecord({ ...f, agency: d.agency ?? f.agency, role: d.role ?? f.role }),
    graphsPermitted: d.graphs,
    graphsReached: d.allow ? reachOf(catalog, judgement).graphs : [],
    datasets: [...datasets].sort(),
    decision: d.allow ? 'allow' : 'deny',
    code: d.allow ? undefined : d.code,
    status: d.allow ? undefined : d.status,
    reasons: auditReasons(d),
    provisions: d.provisions,
  };
}

// ---------------------------------------------------------------------------------------
// Refusals

/** The problem for a denied decision: each refused dataset with its code and provision. */
export function denialError(decision: Decision, catalog: Catalog, auditSeq?: number): DatalyftError {
  const denials = decision.reasons.filter((r) => r.outcome === 'deny');
  const first = denials[0];
  const refused = denials.map((r) => ({
    ...(r.dataset ? { dataset: r.dataset, datasetId: catalog.datasets.get(r.dataset)?.id } : {}),
    ...(r.protectionClass ? { protectionClass: r.protectionClass } : {}),
    code: r.code,
    reason: r.message,
    ...(r.provision ? { provision: r.provision, citation: r.citation ?? citation(catalog, r.provision) } : {}),
  }));
  return new DatalyftError(decision.code ?? first?.code ?? 'denied', first?.message ?? 'The request is refused.', {
    status: decision.status ?? 403,
    extra: {
      refused,
      regime: decision.regime,
      ...(decision.purpose ? { purpose: decision.purpose } : {}),
      ...(auditSeq !== undefined ? { auditEntry: auditSeq } : {}),
    },
  });
}

/** A denial decided by the gate before decide() could run (unknown purpose ...), for the audit. */
function gateDenial(error: DatalyftError, facts: RequestFacts): Decision {
  return {
    allow: false, code: error.code, status: error.status, principal: facts.principal, agency: facts.agency, role: facts.role,
    purpose: facts.purpose, regime: facts.regime, time: '', graphs: [], datasets: [],
    reasons: [{ code: error.code, outcome: 'deny', message: error.message }], provisions: [], aggregatesOnly: false,
  };
}

// ---------------------------------------------------------------------------------------
// The query path

export interface QueryContext {
  transaction: string;
}

export function transactionOf(req: Request): string {
  const sent = req.headers['datalyft-transaction'];
  const value = Array.isArray(sent) ? sent.join(', ') : sent;
  return value && /^[A-Za-z0-9._:@\-/+=]{1,200}$/.test(value.trim()) ? value.trim() : randomUUID();
}

interface Shaped {
  body: string;
  rows: number;
  truncated: boolean;
  suppressed?: boolean;
}

async function shapeResult(deps: GateDeps, analysis: QueryAnalysis, type: ResultType, engineBody: string, statistics?: { groupSize: string }): Promise<Shaped> {
  const { maxRows, minGroupSize } = deps.config;
  if (analysis.form === 'graph') {
    const quads = parseTriples(engineBody);
    const truncated = quads.length > maxRows;
    const kept = truncated ? quads.slice(0, maxRows) : quads;
    return { body: await writeGraph(kept, type as GraphType), rows: kept.length, truncated };
  }
  const parsed = parseBindings(engineBody);
  if ('boolean' in parsed) return { body: writeBoolean(parsed.boolean, type as BindingsType), rows: 1, truncated: false };
  if (!statistics && parsed.rows.length <= maxRows && (type === 'application/sparql-results+json' || type === 'application/json')) {
    // Nothing to leave out: the engine's JSON plus the flag, without writing every row again.
    const end = engineBody.lastIndexOf('}');
    return { body: `${engineBody.slice(0, end)},"truncated":false}`, rows: parsed.rows.length, truncated: false };
  }
  let rows: Row[] = parsed.rows;
  let vars = parsed.vars;
  let suppressed: boolean | undefined;
  if (statistics) {
    const small = (row: Row, v: string): boolean => {
      const n = Number(row[v]?.value ?? 0);
      return !Number.isFinite(n) || n < minGroupSize;
    };
    const before = rows.length;
    rows = rows.filter((row) => !small(row, statistics.groupSize) && !analysis.countVariables.some((v) => row[v] !== undefined && small(row, v)));
    suppressed = rows.length < before;
    rows = rows.map((row) => {
      const { [statistics.groupSize]: _hidden, ...rest } = row;
      return rest;
    });
    vars = vars.filter((v) => v !== statistics.groupSize);
  }
  const truncated = rows.length > maxRows;
  if (truncated) rows = rows.slice(0, maxRows);
  return { body: writeTable({ vars, rows }, type as BindingsType, { truncated, suppressed }), rows: rows.length, truncated, suppressed };
}

/** Answers one /sparql request. Throws DatalyftError for every refusal (the route sends it). */
export async function answerQuery(deps: GateDeps, req: Request, ctx: QueryContext): Promise<GateResponse> {
  const { catalog, config } = deps;
  const protocol = readProtocolRequest(req, { requireQuery: true });
  const query = protocol.query!;
  const analysis = analyseQuery(query, catalog);
  const type = negotiateResult(req, analysis.form);
  const auth = authenticate(req, deps.tokens);
  const regime = resolveRegime(catalog, config, protocol.regime);

  if (!auth.principal) {
    if (protocol.purpose !== undefined || !analysis.metadataOnly) {
      throw new DatalyftError('authentication-required', `${protocol.purpose !== undefined ? 'A declared purpose' : `The query names record data${analysis.datasetsNamed.length ? ` (${analysis.datasetsNamed.map((d) => catalog.datasets.get(d)?.id ?? shorten(d)).join(', ')})` : ''}`} and needs an authenticated principal: send Authorization: Bearer <token>. Queries on the public metadata alone need neither token nor purpose.`, { status: 401, where: { header: 'Authorization' } });
    }
    const judgement = await judge(deps, { analysis, regime, protocol });
    if (!judgement.decision.allow) throw denialError(judgement.decision, catalog);
    return run(deps, analysis, type, judgement, ctx, undefined);
  }

  const principal = catalog.principals.get(auth.principal);
  const facts: RequestFacts = {
    principal: auth.principal, agency: principal?.agency, role: principal?.role, regime, transaction: ctx.transaction, query,
    purpose: protocol.purpose,
  };
  let purpose: string | undefined;
  try {
    purpose = resolvePurpose(catalog, protocol.purpose);
  } catch (error) {
    if (!isDatalyftError(error)) throw error;
    const entry = record(deps.audit, decisionRecord(catalog, facts, { decision: gateDenial(error, facts), defaultGraphs: [], namedGraphs: [] }, analysis), deps.now());
    await durable(deps.audit);
    throw new DatalyftError(error.code, error.message, { status: error.status, where: error.where, extra: { auditEntry: entry.seq } });
  }
  facts.purpose = purpose;
  const judgement = await judge(deps, { analysis, principal: auth.principal, purpose, regime, protocol });
  // Written before the query runs; durable, with the completion, before anything is answered.
  const entry = record(deps.audit, decisionRecord(catalog, facts, judgement, analysis), deps.now());
  if (!judgement.decision.allow) {
    await durable(deps.audit);
    throw denialError(judgement.decision, catalog, entry.seq);
  }
  return run(deps, analysis, type, judgement, ctx, { facts, decisionSeq: entry.seq });
}

async function run(deps: GateDeps, analysis: QueryAnalysis, type: ResultType, judgement: Judgement, ctx: QueryContext, audited: { facts: RequestFacts; decisionSeq: number } | undefined): Promise<GateResponse> {
  const { config } = deps;
  const statistics = judgement.decision.aggregatesOnly && analysis.aggregateOnly ? { groupSize: freshVariable(analysis, 'datalyftGroupSize') } : undefined;
  const text = rewriteQuery(analysis, { limit: analysis.form === 'bindings' ? config.maxRows + 1 : undefined, groupSizeVariable: statistics?.groupSize });
  const graphsReached = reachOf(deps.catalog, judgement).graphs;
  const complete = (fields: Partial<AuditRecord>): AuditEntry | undefined => audited
    ? record(deps.audit, { kind: 'completion', ...factsRecord({ ...audited.facts, query: undefined }), queryHash: sha256Hex(audited.facts.query ?? ''), refers: audited.decisionSeq, graphsReached, ...fields }, deps.now())
    : undefined;

  let shaped: Shaped;
  try {
    const response = await deps.store.query({
      query: text,
      defaultGraphs: judgement.defaultGraphs,
      namedGraphs: judgement.namedGraphs,
      resultFormat: analysis.form === 'graph' ? 'application/n-triples' : 'application/sparql-results+json',
      timeoutMs: config.queryTimeoutMs,
    });
    shaped = await shapeResult(deps, analysis, type, response.body, statistics);
  } catch (error) {
    const problem = isDatalyftError(error) ? error : new DatalyftError('engine-error', `The query engine failed: ${error instanceof Error ? error.message : String(error)}`, { status: 500, cause: error });
    complete({ code: problem.code, status: problem.status, rows: 0 });
    if (audited) await durable(deps.audit);
    throw problem;
  }
  const done = complete({ rows: shaped.rows, truncated: shaped.truncated, suppressed: shaped.suppressed });
  // The decision and the completion are on disk before the result leaves.
  if (audited) await durable(deps.audit);
  const headers: Record<string, string> = { 'Datalyft-Truncated': String(shaped.truncated), 'Datalyft-Transaction': ctx.transaction };
  if (audited) headers['Datalyft-Audit-Entry'] = String(audited.decisionSeq);
  if (done) headers['Datalyft-Audit-Completion'] = String(done.seq);
  if (shaped.suppressed !== undefined) headers['Datalyft-Suppressed'] = String(shaped.suppressed);
  return { status: 200, contentType: contentTypeOf(type), headers, body: shaped.body };
}

// ---------------------------------------------------------------------------------------
// Explain

export interface Difference {
  kind: 'allow' | 'dataset' | 'class' | 'graph';
  dataset?: string;
  protectionClass?: string;
  graph?: string;
  /** Per regime id: allowed or not (for `graph`: reachable or not). */
  values: Record<string, boolean>;
  message: string;
}

/** What differs between the decisions of several regimes: the outcome, datasets, classes, graphs. */
export function differencesOf(catalog: Catalog, decisions: Record<string, Decision>): Difference[] {
  const ids = Object.keys(decisions);
  const label = (iri: string): string => catalog.regimes.get(iri)?.id ?? iri;
  const out: Difference[] = [];
  const values = (f: (d: Decision) => boolean): Record<string, boolean> => Object.fromEntries(ids.map((r) => [label(r), f(decisions[r]!)]));
  const differ = (v: Record<string, boolean>): boolean => new Set(Object.values(v)).size > 1;
  const describe = (v: Record<string, boolean>, yes: string, no: string): string => Object.entries(v).map(([r, x]) => `${x ? yes : no} under ${r}`).join(', ');

  const allow = values((d) => d.allow);
  if (differ(allow)) out.push({ kind: 'allow', values: allow, message: `The request is ${describe(allow, 'allowed', 'refused')}.` });
  const datasets = new Set(ids.flatMap((r) => decisions[r]!.datasets.map((d) => d.dataset)));
  for (const ds of [...datasets].sort()) {
    const id = catalog.datasets.get(ds)?.id ?? shorten(ds);
    const v = values((d) => d.datasets.find((x) => x.dataset === ds)?.allowed ?? false);
    if (differ(v)) {
      out.push({ kind: 'dataset', dataset: ds, values: v, message: `${id} is ${describe(v, 'reachable', 'not reachable')}.` });
      continue;
    }
    const classes = new Set(ids.flatMap((r) => decisions[r]!.datasets.find((x) => x.dataset === ds)?.classes.map((c) => c.protectionClass) ?? []));
    for (const pc of [...classes].sort()) {
      const cv = values((d) => d.datasets.find((x) => x.dataset === ds)?.classes.find((c) => c.protectionClass === pc)?.allowed ?? false);
      if (differ(cv)) out.push({ kind: 'class', dataset: ds, protectionClass: pc, values: cv, message: `The ${shorten(pc)} of ${id} are ${describe(cv, 'reachable', 'not reachable')}.` });
    }
  }
  const graphs = new Set(ids.flatMap((r) => decisions[r]!.graphs));
  for (const g of [...graphs].sort()) {
    if (METADATA_GRAPHS.has(g)) continue;
    const gv = values((d) => d.graphs.includes(g));
    if (differ(gv)) out.push({ kind: 'graph', graph: g, values: gv, message: `${shorten(g)} is ${describe(gv, 'reachable', 'not reachable')}.` });
  }
  return out;
}

export interface Explanation {
  query?: {
    datasetsNamed: string[];
    elementsNamed: string[];
    selectionElements: string[];
    selectsOnAnyPredicate: boolean;
    aggregateOnly: boolean;
    metadataOnly: boolean;
    executed: string;
  };
  principal?: string;
  regime?: string;
  decision?: Decision;
  /** regime=both: one decision per regime (by regime id) and what differs. */
  decisions?: Record<string, Decision>;
  differences?: Difference[];
}

/** The decision for a request, without running it (POST /sparql/explain). Not audited: nothing is reached. */
export async function explain(deps: GateDeps, req: Request): Promise<Explanation> {
  const { catalog, config } = deps;
  const protocol = readProtocolRequest(req, { requireQuery: false });
  const analysis = protocol.query !== undefined && protocol.query.trim() !== '' ? analyseQuery(protocol.query, catalog) : undefined;
  const auth = authenticate(req, deps.tokens);
  const purpose = resolvePurpose(catalog, protocol.purpose);
  const both = protocol.regime === 'both';
  const regimes = both ? allRegimes(catalog) : [resolveRegime(catalog, config, protocol.regime)];
  const decisions: Record<string, Decision> = {};
  for (const regime of regimes) {
    let { decision } = await judge(deps, { analysis, principal: auth.principal, purpose, regime, protocol });
    if (!auth.principal && decision.allow && (purpose !== undefined || (analysis && !analysis.metadataOnly))) {
      decision = refuse(decision, 'authentication-required', 401, [{ code: 'authentication-required', outcome: 'deny', message: 'Record data need an authenticated principal: send Authorization: Bearer <token>.' }]);
    }
    decisions[regime] = decision;
  }
  const out: Explanation = {
    principal: auth.principal,
    query: analysis ? {
      datasetsNamed: analysis.datasetsNamed, elementsNamed: analysis.elementsNamed, selectionElements: analysis.selectionElements,
      selectsOnAnyPredicate: analysis.selectsOnAnyPredicate, aggregateOnly: analysis.aggregateOnly, metadataOnly: analysis.metadataOnly,
      executed: analysis.text,
    } : undefined,
  };
  if (!both) return { ...out, regime: regimes[0], decision: decisions[regimes[0]!] };
  const byId = Object.fromEntries(Object.entries(decisions).map(([iri, d]) => [catalog.regimes.get(iri)?.id ?? iri, d]));
  return { ...out, decisions: byId, differences: differencesOf(catalog, decisions) };
}
