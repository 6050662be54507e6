/**
 * Yearly erasure (gallring) of registers partitioned by year. Erasing a year drops every
 * named graph of that year of the register in one store commit, which removes the bytes
 * from the store's database and journal (the store's contract for dropGraphs). Each
 * erasure is audited: register, year, graphs, quads and records removed, time and who —
 * never a value of the records.
 *
 * The schedule (config.erasureDate, MM-DD, in Swedish time): on and after that day of year
 * Y, every year up to and including Y-1 is erased; before it, every year up to Y-2. So with
 * the default 01-15, the records of 2025 are kept until 15 January 2026 (leaving time for
 * the last checks of December's claims) and erased that day. A hub that was down on the
 * day catches up at its next start. The server checks at start and then once a day.
 */
import type { AuditRecord } from '../audit/log.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { HubStore } from '../store/types.ts';
import { graphsByYear, requireRegister, yearlyRegisters, type YearlyRegister } from './registers.ts';
import { swedishDate } from './report.ts';

/** The part of the audit trail erasure needs (src/audit/log.ts AuditLog). */
export interface ErasureAudit {
  append(record: AuditRecord, time: Date): { seq: number };
}

export interface ErasureDeps {
  catalog: Catalog;
  store: HubStore;
  /** Where the erasure is recorded; without one the erasure is refused (see eraseYear). */
  audit: ErasureAudit;
  now: () => Date;
}

export interface ErasureResult {
  register: string;
  year: number;
  graphs: string[];
  quads: number;
  records: number;
  /** Nothing of that year was left to erase. */
  noop: boolean;
  time: string;
  actor: string;
  /** Sequence number of the audit entry. */
  auditSeq?: number;
}

async function countRecords(store: HubStore, register: YearlyRegister, graphs: string[]): Promise<number> {
  if (graphs.length === 0) return 0;
  const predicate = register.partitionElement.predicate;
  const rows = await store.select(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <${predicate}> ?d }`, { defaultGraphs: graphs });
  return Number(rows[0]?.n?.value ?? 0);
}

/**
 * Erases one year of one register: drops its graphs and audits what was removed. The audit
 * entry is written after the drop has been committed (the entry states a fact), and the
 * result is returned only when both are durable. A year with nothing left is a no-op that is
 * still audited when `auditNoop` is set (the command line), so an operator's run leaves a trace.
 */
export async function eraseYear(deps: ErasureDeps, options: { register: string; year: number; actor: string; auditNoop?: boolean }): Promise<ErasureResult> {
  const register = requireRegister(deps.catalog, options.register);
  const graphs = graphsByYear(register, await deps.store.graphs()).get(options.year) ?? [];
  let quads = 0;
  for (const g of graphs) quads += await deps.store.size(g);
  const records = await countRecords(deps.store, register, graphs);
  if (graphs.length > 0) {
    await deps.store.commit({ dropGraphs: graphs, note: `erase ${register.dataset.id} ${options.year}` });
  }
  const time = deps.now();
  const result: ErasureResult = {
    register: register.dataset.id, year: options.year, graphs, quads, records, noop: graphs.length === 0, time: time.toISOString(), actor: options.actor,
  };
  if (graphs.length > 0 || options.auditNoop) {
    const record: AuditRecord = {
      kind: 'erasure', actor: options.actor, datasets: [register.dataset.iri], register: register.dataset.id, year: options.year,
      graphsErased: graphs, quads, records, noop: result.noop, provisions: register.retention.provisions,
    };
    result.auditSeq = deps.audit.append(record, time).seq;
  }
  return result;
}

/** The last year that is due for erasure on a day: Y-1 on and after erasureDate of Y, else Y-2. */
export function erasedThrough(now: Date, erasureDate: string): number {
  const today = swedishDate(now);
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= erasureDate ? year - 1 : year - 2;
}

/** Erases every due year of every yearly register that still has graphs. */
export async function eraseDue(deps: ErasureDeps, options: { erasureDate: string; actor?: string }): Promise<ErasureResult[]> {
  const through = erasedThrough(deps.now(), options.erasureDate);
  const graphs = await deps.store.graphs();
  const out: ErasureResult[] = [];
  for (const register of yearlyRegisters(deps.catalog)) {
    for (const year of graphsByYear(register, graphs).keys()) {
      if (year > through) continue;
      out.push(await eraseYear(deps, { register: register.dataset.id, year, actor: options.actor ?? 'system' }));
    }
  }
  return out;
}

export interface ErasureSchedule {
  /** Runs the check now (tests call this with a fixed clock); resolves with what was erased. */
  runNow(): Promise<ErasureResult[]>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Checks at start and then every `intervalMs` (a day) whether a year is due, on an unref'd
 * timer so it never keeps the process alive. Failures are logged and retried at the next
 * tick; runs never overlap.
 */
export function scheduleErasure(deps: ErasureDeps & { log: (line: string) => void }, options: { erasureDate: string; intervalMs?: number; runAtStart?: boolean }): ErasureSchedule {
  let running: Promise<ErasureResult[]> | undefined;
  const runNow = (): Promise<ErasureResult[]> => {
    if (running) return running;
    running = eraseDue(deps, { erasureDate: options.erasureDate })
      .then((results) => {
        for (const r of results) deps.log(`erasure: ${r.register} ${r.year}: dropped ${r.graphs.length} graphs, ${r.quads} quads, ${r.records} records (audit entry ${r.auditSeq})`);
        return results;
      })
      .catch((error: unknown) => {
        deps.log(`erasure: the scheduled erasure failed and is retried at the next check: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runNow(), options.intervalMs ?? DAY_MS);
  timer.unref();
  if (options.runAtStart !== false) void runNow();
  return {
    runNow,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
