/**
 * What the app is built from. Tests pass their own (a MemoryStore, a fixed clock); the
 * server passes the embedded default. Each subsystem adds its own member here.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { HubStore } from '../store/types.ts';

export interface AppDeps {
  config: Config;
  catalog: Catalog;
  store: HubStore;
  /** Injected clock, so tests can fix "now" (erasure, audit, regime validity). */
  now: () => Date;
  log: (line: string) => void;
  /** True once the hub can answer queries (demo data loaded or data directory reopened). */
  ready: () => boolean;
}
