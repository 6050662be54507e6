/**
 * A hub on port 0 with fixture records loaded straight into the graphs the catalog names
 * (until record ingest exists), and values planted where the adversarial tests must never
 * see them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Quad } from '@rdfjs/types';
import type { Config } from '../../src/config.ts';
import { dl, rdf } from '../../src/rdf/namespaces.ts';
import { factory as f } from '../../src/rdf/parse.ts';
import { startHub, type HubOptions, type RunningHub } from '../../src/server.ts';

export const B = 'https://w3id.org/datalyft/';
export const T = `${B}term#`;
export const TOKENS = {
  fkHandlaggare: 'demo-fk-handlaggare',
  fkKontroll: 'demo-fk-kontrollutredare',
  fkAnalytiker: 'demo-fk-analytiker',
  fkStatistiker: 'demo-fk-statistiker',
  fkDataskydd: 'demo-fk-dataskydd',
  pmHandlaggare: 'demo-pm-handlaggare',
  pmKontroll: 'demo-pm-kontrollutredare',
  pmDataskydd: 'demo-pm-dataskydd',
} as const;

/** Values that sit in graphs the adversarial tests' principal may not reach. */
export const FORBIDDEN = {
  diagnosis: 'FORBIDDEN-J45',
  fkScore: 'FORBIDDEN-FK-SCORE-0.97',
  pmScore: 'FORBIDDEN-PM-SCORE-0.93',
} as const;

export interface Fixture {
  hub: RunningHub;
  dataDir: string;
  graph(dataset: string, protectionClass: string): string;
  close(): Promise<void>;
}

export async function startFixtureHub(options: { config?: Partial<Config>; hub?: Omit<HubOptions, 'config'> } = {}): Promise<Fixture> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-gate-'));
  const hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0, ...options.config }, log: () => {}, ...options.hub });
  const { catalog } = hub.deps;
  const graph = (dataset: string, protectionClass: string): string => catalog.graphFor(catalog.requireDataset(dataset), protectionClass);
  const quads: Quad[] = [];
  const add = (g: string, s: string, p: string, o: Quad['object']): void => void quads.push(f.quad(f.namedNode(s), f.namedNode(p), o, f.namedNode(g)));
  const lit = (v: string): Quad['object'] => f.literal(v);

  const tfpBase = graph('fk-tillfallig-foraldrapenning', dl.BasicPersonalData);
  const tfpHealth = graph('fk-tillfallig-foraldrapenning', dl.HealthData);
  const tfpIndirect = graph('fk-tillfallig-foraldrapenning', dl.IndirectlySensitiveData);
  // Twelve TFP cases: eight whole days, three half days, one quarter day (groups 8, 3, 1).
  for (let i = 1; i <= 12; i++) {
    const s = `https://example.org/fk/tfp/arende-${i}`;
    add(tfpBase, s, rdf.type, f.namedNode(`${T}TillfalligForaldrapenningArende`));
    add(tfpBase, s, `${T}personnummer`, lit(`19850101-${String(1000 + i)}`));
    add(tfpBase, s, `${T}arendeid`, lit(`TFP-${i}`));
    add(tfpBase, s, `${T}tfpOmfattning`, f.literal(i <= 8 ? '1.0' : i <= 11 ? '0.5' : '0.25', f.namedNode('http://www.w3.org/2001/XMLSchema#decimal')));
    add(tfpBase, s, `${T}tfpBeslutsutfall`, lit(i % 4 === 0 ? 'avslag' : 'bifall'));
    add(tfpIndirect, s, `${T}tfpOrsak`, lit('barnets-sjukdom'));
  }
  add(tfpHealth, 'https://example.org/fk/tfp/arende-1', `${T}tfpBarnDiagnos`, lit(FORBIDDEN.diagnosis));
  add(graph('fk-analys-urval', dl.AnalysisSelectionResult), 'https://example.org/fk/analys/1', `${T}fkAuRiskpoang`, lit(FORBIDDEN.fkScore));
  add(graph('fk-analys-urval', dl.AnalysisSelectionResult), 'https://example.org/fk/analys/1', `${T}personnummer`, lit('19850101-1001'));
  add(graph('pm-analys-urval', dl.AnalysisSelectionResult), 'https://example.org/pm/analys/1', `${T}pmAnaRiskpoang`, lit(FORBIDDEN.pmScore));
  add(graph('pm-analys-urval', dl.AnalysisSelectionResult), 'https://example.org/pm/analys/1', `${T}personnummer`, lit('19850101-1001'));
  await hub.deps.store.commit({ add: quads, note: 'gate test fixture' });
  return {
    hub, dataDir, graph,
    async close() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Ask {
  query?: string;
  token?: string;
  purpose?: string;
  regime?: string;
  accept?: string;
  headers?: Record<string, string>;
  /** Extra URL parameters (repeated names allowed). */
  params?: [string, string][];
  method?: 'GET' | 'POST-form' | 'POST-query';
  path?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

export async function ask(fx: Fixture, a: Ask): Promise<Answer> {
  const params = new URLSearchParams();
  if (a.purpose !== undefined) params.append('purpose', a.purpose);
  if (a.regime !== undefined) params.append('regime', a.regime);
  for (const [k, v] of a.params ?? []) params.append(k, v);
  const headers: Record<string, string> = { ...(a.accept ? { accept: a.accept } : {}), ...(a.token ? { authorization: `Bearer ${a.token}` } : {}), ...a.headers };
  const method = a.method ?? 'GET';
  const route = a.path ?? '/sparql';
  let response: Response;
  if (method === 'GET') {
    if (a.query !== undefined) params.append('query', a.query);
    response = await fetch(`${fx.hub.url}${route}?${params}`, { headers });
  } else if (method === 'POST-form') {
    if (a.query !== undefined) params.append('query', a.query);
    response = await fetch(`${fx.hub.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: params.toString() });
  } else {
    response = await fetch(`${fx.hub.url}${route}?${params}`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', ...headers }, body: a.query ?? '' });
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** Everything a client sees of an answer: status line aside, the headers and the body. */
export function visible(answer: Answer): string {
  return `${[...answer.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${answer.text}`;
}
