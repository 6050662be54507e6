/**
 * Starting and stopping the hub: read the catalog, open the store, publish the public
 * metadata graphs, build the app, listen. `startHub` is what `datalyft serve` and the
 * acceptance tests call.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { Catalog, REPO_ROOT } from './catalog/catalog.ts';
import { loadConfig, type Config } from './config.ts';
import { describeError } from './errors.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './http/deps.ts';
import { loadDemo, storeHasRecords } from './ingest/demo.ts';
import { GRAPHS } from './rdf/namespaces.ts';
import { factory, parseRdfFiles } from './rdf/parse.ts';
import { DurableStore } from './store/durable-store.ts';
import { AuditLog } from './audit/log.ts';
import { scheduleErasure, type ErasureSchedule } from './register/erasure.ts';
import { TokenStore } from './sparql/auth.ts';
import type { AuditTrail } from './sparql/gate.ts';
import type { HubStore } from './store/types.ts';

export interface HubOptions {
  config?: Partial<Config>;
  env?: NodeJS.ProcessEnv;
  /** Use this store instead of opening the embedded default. */
  store?: HubStore;
  now?: () => Date;
  log?: (line: string) => void;
  /** Use this audit trail instead of <dataDir>/audit/audit.jsonl (tests of failing writes). */
  audit?: AuditTrail;
}

export interface RunningHub {
  url: string;
  port: number;
  deps: AppDeps;
  /** The scheduled yearly erasure; `runNow()` checks at once. */
  erasure: ErasureSchedule;
  /** Resolves when the demo data of a fresh data directory is loaded (at once when there is none to load). */
  loading: Promise<void>;
  close(): Promise<void>;
}

/** Replaces the ontology, catalog and shapes graphs with what the repository holds. */
export async function publishMetadata(store: HubStore, catalog: Catalog): Promise<void> {
  const ontology = await parseRdfFiles([path.join(REPO_ROOT, 'ontology')], { graph: GRAPHS.ontology });
  const shapes = await parseRdfFiles([path.join(REPO_ROOT, 'shapes')], { graph: GRAPHS.shapes }).catch(() => []);
  const catalogGraph = factory.namedNode(GRAPHS.catalog);
  const catalogQuads = catalog.quads.map((q) => factory.quad(q.subject, q.predicate, q.object, catalogGraph));
  await store.commit({
    dropGraphs: [GRAPHS.ontology, GRAPHS.catalog, GRAPHS.shapes],
    add: [...ontology.flatMap((s) => s.quads), ...catalogQuads, ...shapes.flatMap((s) => s.quads)],
    note: 'publish metadata',
  });
}

/**
 * The store of a data directory: what `startHub` serves and what `datalyft ingest` writes
 * to. The one place that chooses the embedded backend.
 */
export async function openHubStore(config: Config, options: { log?: (line: string) => void } = {}): Promise<HubStore> {
  return DurableStore.open({ dataDir: config.dataDir, queryTimeoutMs: config.queryTimeoutMs, log: options.log });
}

/** Generates and loads the demo data through the ingest path, with progress on the log. */
async function loadDemoData(deps: AppDeps, signal: AbortSignal): Promise<void> {
  const { config, log } = deps;
  const started = Date.now();
  let lastReport = 0;
  log(`Empty data directory ${config.dataDir}: generating demo data for ${config.demoPersons.toLocaleString('en-US')} persons (DATALYFT_DEMO_PERSONS=0 for none) ...`);
  try {
    const summary = await loadDemo(deps, {
      persons: config.demoPersons, reference: deps.now(), signal,
      onProgress: (done, total, dataset) => {
        if (Date.now() - lastReport < 2000 && done < total) return;
        lastReport = Date.now();
        const seconds = (Date.now() - started) / 1000;
        log(`demo data: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records (${Math.round((100 * done) / total)}%), ${Math.round(done / seconds).toLocaleString('en-US')} records/s, ${dataset}`);
      },
    });
    if (signal.aborted) return;
    log(`demo data loaded in ${summary.seconds.toFixed(1)} s: ${summary.accepted.toLocaleString('en-US')} records (${summary.quads.toLocaleString('en-US')} quads) in ${summary.datasets} datasets; ${summary.rejected.toLocaleString('en-US')} records with errors left out and logged for GET /quality${summary.skipped.length > 0 ? `; not loaded: ${summary.skipped.join(', ')}` : ''}.`);
  } catch (error) {
    log(`demo data: loading failed: ${describeError(error)}`);
  }
}

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const config = loadConfig(options.env ?? process.env, options.config);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const catalog = await Catalog.load();
  const store = options.store ?? await openHubStore(config, { log });
  await publishMetadata(store, catalog);
  // A fresh data directory gets the demo data, loaded after the server listens (/health says
  // "starting" meanwhile); a data directory that holds records is reopened as it is.
  const needsDemo = config.demoPersons > 0 && !(await storeHasRecords(store));
  let ready = !needsDemo;
  const tokens = TokenStore.load({ tokensFile: config.tokensFile, catalog });
  const audit = options.audit ?? AuditLog.open(config.dataDir, { log });
  const deps: AppDeps = { config, catalog, store, now: options.now ?? (() => new Date()), log, ready: () => ready, tokens, audit };
  const app = createApp(deps);
  // Yearly erasure of registers partitioned by year: at start, then daily (src/register/erasure.ts).
  const erasure = scheduleErasure({ catalog, store, audit, now: deps.now, log }, { erasureDate: config.erasureDate });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const stopDemo = new AbortController();
  const loading = needsDemo ? loadDemoData(deps, stopDemo.signal).finally(() => { ready = true; }) : Promise.resolve();
  return {
    url: `http://${host}:${port}`,
    port,
    deps,
    erasure,
    loading,
    async close() {
      ready = false;
      stopDemo.abort();
      await loading;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await erasure.stop();
      await store.close();
      audit.close();
    },
  };
}
