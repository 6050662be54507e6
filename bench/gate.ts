/**
 * The gate in process: the same answerQuery the /sparql route calls (protocol, parse,
 * decide, durable audit record, restricted run on the store's worker, completion record,
 * result shaping), given a request object as express would build it for
 * `GET /sparql?query=…&purpose=…` with a bearer token. No HTTP: the HTTP cost is measured
 * on its own (http.ts).
 */
import express, { type Request } from 'express';
import type { Catalog } from '../src/catalog/catalog.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { AuditLog } from '../src/audit/log.ts';
import { TokenStore } from '../src/sparql/auth.ts';
import { analyseQuery } from '../src/sparql/analyse.ts';
import { answerQuery, judge, resolvePurpose, resolveRegime, type GateDeps, type GateResponse } from '../src/sparql/gate.ts';
import type { HubStore } from '../src/store/types.ts';
import { QUERY_TIMEOUT_MS } from './dataset.ts';
import type { Asker } from './queries.ts';

const requestApp = express();

/** A request object with express's prototype (req.accepts works), as the route receives it. */
export function sparqlRequest(query: string, asker: Asker): Request {
  const url = `/sparql?query=${encodeURIComponent(query)}&purpose=${encodeURIComponent(asker.purpose)}`;
  const req = Object.create(requestApp.request) as Request & Record<string, unknown>;
  Object.assign(req, {
    app: requestApp, method: 'GET', url, originalUrl: url,
    headers: { accept: 'application/sparql-results+json', authorization: `Bearer ${asker.token}`, host: '127.0.0.1' },
  });
  return req;
}

export function benchConfig(dataDir: string): Config {
  return loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', queryTimeoutMs: QUERY_TIMEOUT_MS, demoPersons: 0 });
}

/** Everything the gate needs, on a data directory's store and audit trail. */
export function gateDeps(catalog: Catalog, store: HubStore, dataDir: string): GateDeps & { audit: AuditLog } {
  return {
    config: benchConfig(dataDir), catalog, store, audit: AuditLog.open(dataDir), tokens: TokenStore.load({ catalog }),
    now: () => new Date(), log: () => {},
  };
}

let transactions = 0;

export async function askGate(deps: GateDeps, query: string, asker: Asker): Promise<GateResponse> {
  return answerQuery(deps, sparqlRequest(query, asker), { transaction: `bench-${++transactions}` });
}

/** The graphs the gate runs this query on for this asker: the baseline runs on exactly these. */
export async function graphsOf(deps: GateDeps, query: string, asker: Asker): Promise<string[]> {
  const principal = deps.tokens.principalOf(asker.token);
  const judgement = await judge(deps, {
    analysis: analyseQuery(query, deps.catalog), principal, purpose: resolvePurpose(deps.catalog, asker.purpose),
    regime: resolveRegime(deps.catalog, deps.config, undefined), protocol: { defaultGraphUris: [], namedGraphUris: [] },
  });
  if (!judgement.decision.allow) throw new Error(`bench: the gate refuses ${asker.token} / ${asker.purpose}: ${judgement.decision.code}`);
  const graphs = [...new Set([...judgement.defaultGraphs, ...judgement.namedGraphs])].sort();
  return graphs;
}

/** Rows of a SPARQL JSON result body. */
export function rowsOf(body: string): number {
  return (JSON.parse(body) as { results?: { bindings: unknown[] } }).results?.bindings.length ?? 0;
}
