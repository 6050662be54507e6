/**
 * Requests per second over HTTP with 16 concurrent clients (autocannon in a separate
 * process, bench/load-generator.mjs), against the real app (createApp) on 127.0.0.1 and a
 * free port, mounted in a bench-only outer app that adds two routes the hub does not have:
 *
 * - GET /bench/floor: a constant body (what express and the socket cost alone);
 * - GET /bench/ungated?personnummer=…: the same lookup the gate answers, run on the same
 *   store and the same graphs, without the gate (no token, no decision, no audit, the
 *   engine's JSON sent as it is).
 *
 * The gated route is the hub's own GET /sparql with the query, the purpose and a token.
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Catalog } from '../src/catalog/catalog.ts';
import { createApp } from '../src/http/app.ts';
import type { AppDeps } from '../src/http/deps.ts';
import type { GateDeps } from '../src/sparql/gate.ts';
import { round } from './stats.ts';
import { lookupQuery, type Asker } from './queries.ts';

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));
const FLOOR_BODY = JSON.stringify({ head: { vars: ['x'] }, results: { bindings: [{ x: { type: 'literal', value: 'floor' } }] } });

export interface LoadResult {
  requestsPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
}

export interface HttpFigures {
  connections: number;
  seconds: number;
  rounds: number;
  floor: LoadResult;
  ungated: LoadResult;
  gated: LoadResult;
  /** gated / ungated requests per second. */
  ratio: number;
}

function runLoad(spec: { url: string; paths: string[]; headers?: Record<string, string>; connections: number; duration: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LOAD_GENERATOR, JSON.stringify(spec)], { maxBuffer: 1 << 20, timeout: (spec.duration + 60) * 1000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`load generator failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

function medianBy(results: LoadResult[]): LoadResult {
  return [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[results.length >> 1]!;
}

export async function measureHttp(options: {
  catalog: Catalog;
  deps: GateDeps;
  asker: Asker;
  persons: string[];
  graphs: string[];
  connections: number;
  seconds: number;
  rounds: number;
  log: (line: string) => void;
  /** Measure only these routes (for profiling one of them). */
  only?: ('floor' | 'ungated' | 'gated')[];
}): Promise<HttpFigures> {
  const { deps, asker } = options;
  const appDeps: AppDeps = { config: deps.config, catalog: deps.catalog, store: deps.store, now: deps.now, log: deps.log, ready: () => true, tokens: deps.tokens, audit: deps.audit };
  const outer = express();
  outer.disable('x-powered-by');
  outer.get('/bench/floor', (_req, res) => {
    res.type('application/sparql-results+json').send(FLOOR_BODY);
  });
  outer.get('/bench/ungated', async (req, res, next) => {
    try {
      const personnummer = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1)).get('personnummer') ?? '';
      const response = await deps.store.query({
        query: lookupQuery(personnummer), defaultGraphs: options.graphs, namedGraphs: options.graphs,
        resultFormat: 'application/sparql-results+json', timeoutMs: deps.config.queryTimeoutMs,
      });
      res.type('application/sparql-results+json').send(response.body);
    } catch (error) {
      next(error);
    }
  });
  outer.use(createApp(appDeps));
  const server: Server = await new Promise((resolve, reject) => {
    const s = outer.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const routes = {
    floor: { paths: ['/bench/floor'] },
    ungated: { paths: options.persons.map((p) => `/bench/ungated?personnummer=${encodeURIComponent(p)}`) },
    gated: {
      paths: options.persons.map((p) => `/sparql?query=${encodeURIComponent(lookupQuery(p))}&purpose=${encodeURIComponent(asker.purpose)}`),
      headers: { authorization: `Bearer ${asker.token}`, accept: 'application/sparql-results+json' },
    },
  };
  const results: Record<keyof typeof routes, LoadResult[]> = { floor: [], ungated: [], gated: [] };
  try {
    // Warm-up: every route once, briefly.
    for (const [name, route] of Object.entries(routes)) {
      if (!options.only || options.only.includes(name as keyof typeof routes)) await runLoad({ url, ...route, connections: options.connections, duration: 1 });
    }
    for (let round = 0; round < options.rounds; round++) {
      // Alternate the order so that drift on the machine does not favour one route.
      const order = (round % 2 === 0 ? ['ungated', 'gated', 'floor'] : ['gated', 'ungated', 'floor']) as (keyof typeof routes)[];
      for (const name of order.filter((n) => !options.only || options.only.includes(n))) {
        const result = await runLoad({ url, ...routes[name], connections: options.connections, duration: options.seconds });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`bench: ${name} answered ${result.non2xx} non-2xx and ${result.errors} errors`);
        results[name].push(result);
        options.log(`  http ${name}: ${round1(result.requestsPerSecond)} req/s (median latency ${result.latencyMedianMs} ms)`);
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections?.();
  }
  const none: LoadResult = { requestsPerSecond: Number.NaN, ok: 0, non2xx: 0, errors: 0, timeouts: 0, seconds: 0, latencyMedianMs: Number.NaN, latencyP99Ms: Number.NaN };
  const floor = results.floor.length > 0 ? medianBy(results.floor) : none;
  const ungated = results.ungated.length > 0 ? medianBy(results.ungated) : none;
  const gated = results.gated.length > 0 ? medianBy(results.gated) : none;
  return { connections: options.connections, seconds: options.seconds, rounds: options.rounds, floor, ungated, gated, ratio: round(gated.requestsPerSecond / ungated.requestsPerSecond) };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
