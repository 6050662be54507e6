/**
 * Reporting to a yearly register: who may report, the register's own checks (report.ts),
 * duplicates against what the register holds, then the hub's one ingest path (ajv at the
 * door, the mapping, SHACL, one transaction), and a receipt.
 *
 * Submissions to one register are taken one at a time, so two reports of the same child,
 * day and school unit sent at once cannot both pass the duplicate check.
 *
 * The receipt (id, time, count, SHA-256) is the reporter's proof of what was accepted. Its
 * hash covers the receipt id, time, register and the accepted reports; the random id keeps
 * the hash from being a fingerprint of a child's day that could be guessed back. The hub
 * keeps no copy of receipts: they would outlive the yearly erasure.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.ts';
import type { Dataset } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import type { HubStore } from '../store/types.ts';
import { canonicalJson, sha256 } from '../audit/log.ts';
import { erasedThrough } from './erasure.ts';
import { graphsByYear, requireRegister, type YearlyRegister } from './registers.ts';
import { checkReports, duplicateKey, swedishDate, type AbsenceReport, type ReportInput, type ReportViolation } from './report.ts';
import type { SchoolUnits } from './school-units.ts';

export interface Receipt {
  id: string;
  register: string;
  /** ISO time the reports were committed. */
  time: string;
  count: number;
  /** SHA-256 (hex) of the canonical JSON of {id, time, register, reports}. */
  sha256: string;
  reporter: string;
}

/** What the ingest path answers: accepted, or every violation it found (record = 0-based index). */
export type IngestOutcome =
  | { ok: true }
  | { ok: false; violations: { record?: number; field?: string; rule?: string; code?: string; message: string }[] };

/** The hub's ingest path for a batch of reports (records in the register's layout). */
export type RegisterIngest = (input: { dataset: Dataset; reports: AbsenceReport[]; reportedAt: string; principal: string; note: string }) => Promise<IngestOutcome>;

export interface ReportingDeps {
  catalog: Catalog;
  store: HubStore;
  units: SchoolUnits;
  now: () => Date;
  erasureDate: string;
  ingest: RegisterIngest;
}

export type ReportOutcome =
  | { ok: true; receipt: Receipt }
  | { ok: false; violations: ReportViolation[] };

const queues = new WeakMap<HubStore, Map<string, Promise<unknown>>>();

function serialise<T>(store: HubStore, key: string, work: () => Promise<T>): Promise<T> {
  let map = queues.get(store);
  if (!map) {
    map = new Map();
    queues.set(store, map);
  }
  const before = map.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  map.set(key, run.catch(() => undefined));
  return run;
}

/** Throws 403 `not-a-reporter` unless the principal's role may write the register. */
export function requireReporter(catalog: Catalog, register: YearlyRegister, principalIri: string): void {
  const principal = catalog.principals.get(principalIri);
  const role = principal?.role;
  if (!principal || !role || !register.dataset.writers.includes(role)) {
    throw new DatalyftError('not-a-reporter', `${principal?.id ?? principalIri} may not report to ${register.dataset.id}: only the roles the catalog lets write it (${register.dataset.writers.map((r) => catalog.roles.get(r)?.id ?? r).join(', ') || 'none'}) may.`, { status: 403, where: { register: register.dataset.id } });
  }
}

/** Which of the checked reports the register already holds (same child, day and school unit). */
async function existingKeys(deps: ReportingDeps, register: YearlyRegister, reports: AbsenceReport[]): Promise<Set<string>> {
  const el = (id: string) => register.dataset.elements.find((e) => e.id === id)?.predicate;
  const [child, day, unit] = [el('barn'), register.partitionElement.predicate, el('skolenhetskod')];
  const out = new Set<string>();
  if (!child || !unit || reports.length === 0) return out;
  const byYear = graphsByYear(register, await deps.store.graphs());
  const years = [...new Set(reports.map((r) => Number(r.datum.slice(0, 4))))];
  for (const year of years) {
    const graphs = byYear.get(year);
    if (!graphs) continue;
    const children = [...new Set(reports.filter((r) => r.datum.startsWith(`${year}-`)).map((r) => r.personnummer))];
    for (let i = 0; i < children.length; i += 500) {
      const values = children.slice(i, i + 500).map((p) => JSON.stringify(p)).join(', ');
      const rows = await deps.store.select(
        `SELECT (STR(?cv) AS ?c) (STR(?dv) AS ?d) (STR(?uv) AS ?u) WHERE { ?s <${child}> ?cv ; <${day}> ?dv ; <${unit}> ?uv . FILTER(STR(?cv) IN (${values})) }`,
        { defaultGraphs: graphs },
      );
      for (const row of rows) {
        if (row.c && row.d && row.u) out.add(duplicateKey({ personnummer: row.c.value, datum: row.d.value, skolenhetskod: row.u.value }));
      }
    }
  }
  return out;
}

/** Checks, ingests and acknowledges a batch of reports. Violations are data, not throws. */
export async function submitReports(deps: ReportingDeps, options: { register: string; principal: string; inputs: ReportInput[] }): Promise<ReportOutcome> {
  const register = requireRegister(deps.catalog, options.register);
  requireReporter(deps.catalog, register, options.principal);
  const reporter = deps.catalog.principals.get(options.principal)!;
  return serialise(deps.store, register.dataset.iri, async () => {
    const now = deps.now();
    const ctx = { units: deps.units, reporter: reporter.id, today: swedishDate(now), erasedThrough: erasedThrough(now, deps.erasureDate) };
    const first = checkReports(options.inputs, ctx);
    if (first.violations.length > 0) return { ok: false, violations: first.violations };
    const existing = await existingKeys(deps, register, first.reports);
    const { reports, violations } = checkReports(options.inputs, { ...ctx, existing });
    if (violations.length > 0) return { ok: false, violations };

    const id = randomUUID();
    const reportedAt = now.toISOString();
    const outcome = await deps.ingest({ dataset: register.dataset, reports, reportedAt, principal: options.principal, note: `report ${id} to ${register.dataset.id}: ${reports.length} records` });
    if (!outcome.ok) {
      return {
        ok: false,
        violations: outcome.violations.map((v) => ({
          row: (v.record ?? -1) + 1, field: 'file', code: v.code ?? v.rule ?? 'ingest-violation',
          message: `${v.field ? `${v.field}: ` : ''}${v.message}`,
        })),
      };
    }
    const time = deps.now().toISOString();
    const hash = sha256(canonicalJson({ id, time, register: register.dataset.id, reports }));
    return { ok: true, receipt: { id, register: register.dataset.id, time, count: reports.length, sha256: hash, reporter: reporter.id } };
  });
}
