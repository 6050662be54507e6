/**
 * What the app is built from. Tests pass their own (a MemoryStore, a fixed clock); the
 * server passes the embedded default. Each subsystem adds its own member here.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { HubStore } from '../store/types.ts';
import type { TokenStore } from '../sparql/auth.ts';
import type { AuditTrail } from '../sparql/gate.ts';

export interface AppDeps {
  config: Config;
  catalog: Catalog;
  store: HubStore;
  /** Injected clock, so tests can fix "now" (erasure, audit, regime validity). */
  now: () => Date;
  log: (line: string) => void;
  /** True once the hub can answer queries (demo data loaded or data directory reopened). */
  ready: () => boolean;
  /** Bearer tokens → principals (config/demo-tokens.json, or DATALYFT_TOKENS_FILE only). */
  tokens: TokenStore;
  /** The hash-chained audit trail at <dataDir>/audit/audit.jsonl. */
  audit: AuditTrail;
}
