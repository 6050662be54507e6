/**
 * What the quality report reads: one outcome per ingest (batch), as the records pipeline
 * records it. The pipeline writes outcomes; the report only reads them, through
 * `QualityLog`. The default log is a JSON Lines file at `<dataDir>/quality/ingests.jsonl`
 * (see log.ts); any other durable place works if it offers `read()`.
 *
 * Identifiers in examples should already be masked by the writer (src/ingest/violations.ts
 * `maskValue`); the report masks again, so a full personnummer never leaves it.
 */

/** The violations of one rule in one ingest. */
export interface RuleCount {
  /** Stable kebab-case rule, as in src/ingest/violations.ts: required, datatype, pattern, personnummer ... */
  rule: string;
  /** Which layer caught it: `door` (JSON Schema on the source record) or `graph` (SHACL on the mapped quads). */
  layer?: 'door' | 'graph';
  /** Violations of the rule. */
  count: number;
  /** Distinct records with at least one violation of the rule (≤ count); count is used when absent. */
  records?: number;
  /** A few violations, values masked. */
  examples?: ViolationExample[];
}

export interface ViolationExample {
  /** Index of the record in the batch. */
  record?: number;
  /** The source system's field name. */
  field?: string;
  /** JSON Pointer into the record. */
  path?: string;
  /** Catalog element the field maps to (IRI). */
  element?: string;
  /** The offending value, masked. */
  value?: string;
  message: string;
}

/** One ingest (one batch) of one source system into one dataset. */
export interface IngestOutcome {
  /** When the ingest ran, ISO 8601. */
  time: string;
  /** Id of the ingest or batch, where the pipeline gives one. */
  ingest?: string;
  /** The source system (the dataset's `dl:sourceSystem`, e.g. the income statements' system). */
  sourceSystem: string;
  /** Dataset id or IRI. */
  dataset: string;
  /** Records received. */
  records: number;
  /** Records with at least one violation. */
  rejected: number;
  /** True when the batch was stored. A batch is all-or-nothing: one with a violation is not. */
  committed?: boolean;
  violations: RuleCount[];
}

/** A line (or entry) of the log that could not be read, reported rather than thrown. */
export interface LogProblem {
  /** Where: `file:line` for the JSON Lines log. */
  where: string;
  message: string;
}

export interface QualityLogContents {
  outcomes: IngestOutcome[];
  problems: LogProblem[];
}

/** A durable log of ingest outcomes, read by the quality report. */
export interface QualityLog {
  /** Where the log lives, for messages ("data/quality/ingests.jsonl"). */
  readonly location: string;
  /** Every outcome in the log, oldest first; unreadable entries as problems. A missing log is empty. */
  read(): Promise<QualityLogContents>;
}
