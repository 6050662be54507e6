/**
 * Reading the audit trail: filters, and the view for lawyers and data protection
 * officers in PROV-O terms. Each decision is a prov:Activity (dl:AuditEntry) associated
 * with the principal, with its purpose (dpv:hasPurpose), regime, the graphs and datasets it
 * used, its reasons with their provisions, and the rows its completion recorded.
 */
import type { Quad } from '@rdfjs/types';
import type { Catalog } from '../catalog/catalog.ts';
import { DatalyftError } from '../errors.ts';
import { quadsToCompactJsonld } from '../rdf/jsonld.ts';
import { DL_BASE, dl, dpv, prov, rdf, rdfs, xsd } from '../rdf/namespaces.ts';
import { factory as f } from '../rdf/parse.ts';
import type { AuditEntry } from './log.ts';

export const ENTRY_BASE = `${DL_BASE}audit/entry/`;

export interface AuditFilter {
  principal?: string;
  purpose?: string;
  dataset?: string;
  decision?: 'allow' | 'deny';
  from?: Date;
  to?: Date;
  limit: number;
}

/** Reads the filters of GET /audit (ids or IRIs), refusing what it cannot interpret. */
export function parseFilter(params: Map<string, string>, catalog: Catalog): AuditFilter {
  const resolve = (kind: 'principal' | 'purpose' | 'dataset'): string | undefined => {
    const value = params.get(kind);
    if (value === undefined || value === '') return undefined;
    const iri = catalog.resolve(kind, value);
    if (!iri) throw new DatalyftError('invalid-filter', `No ${kind} "${value}" in the catalog.`, { status: 400, where: { parameter: kind } });
    return iri;
  };
  const time = (name: 'from' | 'to'): Date | undefined => {
    const value = params.get(name);
    if (value === undefined || value === '') return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new DatalyftError('invalid-filter', `${name}=${value} is not a date or date-time (use ISO 8601, e.g. 2026-12-03 or 2026-12-03T10:00:00Z).`, { status: 400, where: { parameter: name } });
    return date;
  };
  const decision = params.get('decision');
  if (decision !== undefined && decision !== '' && decision !== 'allow' && decision !== 'deny') {
    throw new DatalyftError('invalid-filter', 'decision must be allow or deny.', { status: 400, where: { parameter: 'decision' } });
  }
  const limitText = params.get('limit');
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DatalyftError('invalid-filter', 'limit must be an integer from 1 to 1000.', { status: 400, where: { parameter: 'limit' } });
  let to = time('to');
  // A bare date as `to` means the whole day.
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(params.get('to') ?? '')) to = new Date(to.getTime() + 86_400_000 - 1);
  return {
    principal: resolve('principal'), purpose: resolve('purpose'), dataset: resolve('dataset'),
    decision: (decision || undefined) as AuditFilter['decision'], from: time('from'), to, limit,
  };
}

export interface AuditView {
  /** Decision and reading entries, newest first, each with its completion if any. */
  activities: { entry: AuditEntry; completion?: AuditEntry }[];
  /** More entries matched than `limit`. */
  more: boolean;
}

/**
 * Selects the entries a reader may see and that match the filter. A supervision reader
 * sees the entries of its own agency's principals and every entry that concerned a
 * dataset its agency controls (another agency asking for it, refused or not).
 */
export function selectEntries(entries: AuditEntry[], filter: AuditFilter, scope: { agency?: string; catalog: Catalog }): AuditView {
  const completions = new Map<number, AuditEntry>();
  for (const e of entries) if (e.kind === 'completion' && e.refers !== undefined) completions.set(e.refers, e);
  const controls = (dataset: string): boolean => scope.catalog.datasets.get(dataset)?.controller === scope.agency;
  const matches = entries.filter((e) => {
    if (e.kind === 'completion') return false;
    if (!(e.agency === scope.agency || (e.datasets ?? []).some(controls))) return false;
    if (filter.principal && e.principal !== filter.principal) return false;
    if (filter.purpose && e.purpose !== filter.purpose) return false;
    if (filter.dataset && !(e.datasets ?? []).includes(filter.dataset)) return false;
    if (filter.decision && e.decision !== filter.decision) return false;
    const t = new Date(e.time).getTime();
    if (filter.from && t < filter.from.getTime()) return false;
    if (filter.to && t > filter.to.getTime()) return false;
    return true;
  }).reverse();
  return {
    activities: matches.slice(0, filter.limit).map((entry) => ({ entry, completion: completions.get(entry.seq) })),
    more: matches.length > filter.limit,
  };
}

function activityQuads(entry: AuditEntry, completion: AuditEntry | undefined): Quad[] {
  const s = f.namedNode(`${ENTRY_BASE}${entry.seq}`);
  const out: Quad[] = [];
  const add = (p: string, o: Quad['object']): void => void out.push(f.quad(s, f.namedNode(p), o));
  const iri = (v: string | undefined): Quad['object'] | undefined => (v ? f.namedNode(v) : undefined);
  const text = (v: string | undefined): Quad['object'] | undefined => (v === undefined ? undefined : f.literal(v));
  const typed = (v: string | number | boolean | undefined, dt: string): Quad['object'] | undefined => (v === undefined ? undefined : f.literal(String(v), f.namedNode(dt)));
  const maybe = (p: string, o: Quad['object'] | undefined): void => {
    if (o) add(p, o);
  };
  add(rdf.type, f.namedNode(prov.Activity));
  add(rdf.type, f.namedNode(dl.AuditEntry));
  maybe(dl.auditSeq, typed(entry.seq, xsd.integer));
  maybe(prov.startedAtTime, typed(entry.time, xsd.dateTime));
  maybe(prov.endedAtTime, typed(completion?.time, xsd.dateTime));
  maybe(prov.wasAssociatedWith, iri(entry.principal));
  maybe(dl.agency, iri(entry.agency));
  maybe(dl.role, iri(entry.role));
  maybe(dpv.hasPurpose, entry.purpose?.startsWith('http') ? iri(entry.purpose) : text(entry.purpose));
  maybe(dl.regime, iri(entry.regime));
  maybe(dl.decision, text(entry.kind === 'audit-read' ? (entry.decision ?? 'allow') : entry.decision));
  maybe(dl.decisionCode, text(entry.code ?? completion?.code));
  maybe(dl.transactionId, text(entry.transaction));
  maybe(dl.queryHash, text(entry.queryHash));
  maybe(dl.queryText, text(entry.query));
  for (const g of entry.graphsPermitted ?? []) add(dl.permittedGraph, f.namedNode(g));
  for (const g of completion?.graphsReached ?? entry.graphsReached ?? []) add(prov.used, f.namedNode(g));
  for (const d of entry.datasets ?? []) add(prov.used, f.namedNode(d));
  maybe(dl.resultRows, typed(completion?.rows, xsd.integer));
  maybe(dl.truncated, typed(completion?.truncated, xsd.boolean));
  maybe(dl.entryHash, text(entry.hash));
  maybe(dl.previousHash, text(entry.prevHash));
  (entry.reasons ?? []).forEach((r, i) => {
    const b = f.namedNode(`${ENTRY_BASE}${entry.seq}#reason-${i + 1}`);
    add(dl.reason, b);
    const r3 = (p: string, o: Quad['object'] | undefined): void => {
      if (o) out.push(f.quad(b, f.namedNode(p), o));
    };
    r3(dl.reasonCode, text(r.code));
    r3(dl.outcome, text(r.outcome));
    r3(rdfs.comment, text(r.message));
    r3(dl.provision, iri(r.provision));
    r3(dl.citation, text(r.citation));
  });
  return out;
}

/** The view as JSON-LD compacted with our context: `{"@context", "@graph": [activities]}` (whether more matched is the caller's to say). */
export async function provJsonld(view: AuditView): Promise<Record<string, unknown>> {
  const quads = view.activities.flatMap(({ entry, completion }) => activityQuads(entry, completion));
  const framed = await quadsToCompactJsonld(quads, { '@type': 'AuditEntry', reason: { '@embed': '@always' } });
  // A frame that matches one node gives that node, not a @graph of one.
  const { '@context': _context, ...single } = framed;
  const graph = (framed['@graph'] as unknown[] | undefined) ?? (Object.keys(single).length > 0 ? [single] : []);
  // Newest first, as selected (framing orders by IRI).
  const order = new Map(view.activities.map(({ entry }, i) => [`${ENTRY_BASE}${entry.seq}`, i]));
  const id = (node: unknown): string => String((node as { id?: string; '@id'?: string }).id ?? (node as { '@id'?: string })['@id'] ?? '');
  graph.sort((a, b) => (order.get(id(a)) ?? 0) - (order.get(id(b)) ?? 0));
  return { '@context': framed['@context'], '@graph': graph };
}
