/**
 * The register's reports into the hub's one ingest path (src/ingest/pipeline.ts): each
 * report becomes a record of the register's canonical layout (field names = the catalog's
 * element identifiers) and goes through ajv, the mapping, SHACL and one store commit like
 * every other record. The web interface is the register's own intake, so it uses the
 * catalog's layout rather than a school administration system's (mappings/).
 *
 * The record id is random: record IRIs then carry no personnummer, and sameness of
 * reports is the register's duplicate check (child, day, school unit), not the IRI.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { isDatalyftError } from '../errors.ts';
import { CANONICAL_ID_FIELD, CANONICAL_SYSTEM } from '../ingest/mapping.ts';
import { ingestBatch } from '../ingest/pipeline.ts';
import type { HubStore } from '../store/types.ts';
import type { AbsenceReport } from './report.ts';
import type { IngestOutcome, RegisterIngest } from './reporting.ts';

/** A report as a record of the canonical layout, keyed by element identifier. */
export function reportRecord(report: AbsenceReport, reportedAt: string): Record<string, unknown> {
  return {
    [CANONICAL_ID_FIELD]: randomUUID(),
    barn: report.personnummer,
    skolenhetskod: report.skolenhetskod,
    skolform: report.skolform,
    datum: report.datum,
    narvarostatus: report.narvarostatus,
    omfattning: report.omfattning,
    ...(report.giltig === undefined ? {} : { giltig: report.giltig }),
    huvudman: report.huvudman,
    rapporterad: reportedAt,
  };
}

export function registerIngest(deps: { catalog: Catalog; store: HubStore; config: Pick<Config, 'dataDir'>; now: () => Date; log: (line: string) => void }): RegisterIngest {
  return async ({ dataset, reports, reportedAt, principal }): Promise<IngestOutcome> => {
    try {
      await ingestBatch({ catalog: deps.catalog, store: deps.store, config: deps.config, now: deps.now, log: deps.log }, {
        dataset: dataset.iri, sourceSystem: CANONICAL_SYSTEM, records: reports.map((r) => reportRecord(r, reportedAt)), principal, via: 'register', upsert: false,
      });
      return { ok: true };
    } catch (error) {
      if (isDatalyftError(error) && error.code === 'batch-rejected') {
        const violations = (error.extra?.violations ?? []) as { record: number; field?: string; rule: string; message: string }[];
        return { ok: false, violations: violations.map((v) => ({ record: v.record, field: v.field, rule: v.rule, message: v.message })) };
      }
      throw error;
    }
  };
}
