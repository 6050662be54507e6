/**
 * The decision contract. `decide` (decide.ts) is a pure function of (principal, purpose,
 * regime, time, catalog, what the query reaches) → Decision. The gate, `explain`, the web
 * interface and the audit trail all use the same Decision, so what a lawyer reads is
 * exactly what was enforced.
 */
import type { Catalog } from '../catalog/catalog.ts';

export interface DecisionRequest {
  /** Principal IRI (from the catalog's principals), or undefined when unauthenticated. */
  principal?: string;
  /** Purpose IRI as declared (already resolved from a short id), or undefined. */
  purpose?: string;
  /** Regime IRI. */
  regime: string;
  time: Date;
  /** Record datasets the query names explicitly (graph IRI, record class or a predicate only its elements use). */
  datasetsNamed: string[];
  /**
   * Data elements whose predicate the query names. A named element of a protection class the
   * purpose may not reach is refused (rather than silently answered from fewer graphs).
   */
  elementsNamed?: string[];
  /**
   * Record graphs present in the store. Needed for year-partitioned datasets, whose graphs
   * (one per year) cannot be derived from the catalog alone.
   */
  existingGraphs?: string[];
  /** Data elements the query selects persons on (FILTER, VALUES or a constant object on the element's predicate). */
  selectionElements: string[];
  /** True when the query returns only aggregates (every projected value is an aggregate or a GROUP BY key). */
  aggregateOnly: boolean;
  /** True when the query touches nothing but the public metadata graphs. */
  metadataOnly: boolean;
}

export type Outcome = 'allow' | 'deny' | 'info';

export interface Reason {
  /** Stable kebab-case code, e.g. `purpose-not-held-by-role`, `dataset-lists-purpose`. */
  code: string;
  outcome: Outcome;
  /** One sentence a lawyer can read. */
  message: string;
  /** Provision relied on (IRI) and its citation ("SFB 114 kap. 8 § 4"). */
  provision?: string;
  citation?: string;
  /** The catalog fact behind the reason, as a triple of IRIs/literals. */
  fact?: { subject: string; predicate: string; object: string };
  dataset?: string;
  protectionClass?: string;
}

export interface ClassDecision {
  protectionClass: string;
  graph: string;
  allowed: boolean;
  reasons: Reason[];
}

export interface DatasetDecision {
  dataset: string;
  allowed: boolean;
  /** Named graphs of the dataset this purpose may reach (a subset of its classes' graphs). */
  graphs: string[];
  classes: ClassDecision[];
  reasons: Reason[];
}

export interface Decision {
  allow: boolean;
  /** When denied: the code of the first deciding reason (e.g. `purpose-not-permitted`). */
  code?: string;
  /** HTTP status the gate answers a denial with (400 for a bad request, 401, 403). */
  status?: number;
  principal?: string;
  agency?: string;
  role?: string;
  purpose?: string;
  regime: string;
  time: string;
  /** Every named graph the query may run on: public metadata graphs + permitted record graphs. */
  graphs: string[];
  /** Per dataset the purpose could concern (the named ones and those it reaches). */
  datasets: DatasetDecision[];
  /** Reasons about principal, purpose and regime, and every denial. */
  reasons: Reason[];
  /** Provisions relied on (IRIs), in order of first use. */
  provisions: string[];
  /** A statistics purpose: only aggregates, groups smaller than minGroupSize suppressed. */
  aggregatesOnly: boolean;
}

export type Decide = (request: DecisionRequest, catalog: Catalog) => Decision;
