import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteropView } from '../../src/interop/report.ts';
import { CONTEXT_URL, jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { startHub, type RunningHub } from '../../src/server.ts';

let hub: RunningHub;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-interop-http-'));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('GET /interoperability', () => {
  it('answers JSON with the summary, per agency and per dataset, leaving the thousands of join paths to a narrower request', async () => {
    const res = await fetch(`${hub.url}/interoperability`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as InteropView;
    expect(body.summary.datasets).toBe(hub.deps.catalog.datasets.size);
    expect(body.summary.share).toBeGreaterThan(0);
    expect(body.summary.lawfulJoinPaths.map((c) => c.regimeId)).toEqual(['gallande-ratt', 'sou-2025-108']);
    expect(body.agencies.find((a) => a.identifier === 'fk')?.internalJoinPaths).toBeGreaterThan(0);
    expect(body.joinPaths).toBeUndefined();
    expect(body.joinPathsOmitted).toMatch(/narrow with dataset=<id> or concept=<id>/);
    expect(body.joinConcepts.find((c) => c.conceptId === 'personnummer')!.lawfulGroups.length).toBeGreaterThan(0);
  });

  it('lists the join paths of one dataset with the purposes under which each join is lawful', async () => {
    const res = await fetch(`${hub.url}/interoperability?dataset=fk-tillfallig-foraldrapenning&format=json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as InteropView;
    expect(body.filter).toEqual({ datasetId: 'fk-tillfallig-foraldrapenning' });
    const income = body.joinPaths!.find((p) => p.conceptId === 'personnummer' && [p.from.identifier, p.to.identifier].includes('fk-inkomster'))!;
    const today = income.lawful.find((l) => l.regimeId === 'gallande-ratt')!.purposes.map((p) => p.purposeId);
    expect(today).toContain('sfb-114-8-p3');
  });

  it('answers JSON-LD with our context that expands without dropping a term', async () => {
    const res = await fetch(`${hub.url}/interoperability?concept=barn`, { headers: { Accept: 'application/ld+json' } });
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect((body['@context'] as unknown[])[0]).toBe(CONTEXT_URL);
    expect(body.id).toBe(`${hub.url}/interoperability?concept=barn`);
    const quads = await jsonldToQuads(body);
    expect(quads.some((q) => q.predicate.value === 'https://w3id.org/datalyft/ns#concept' && q.object.value === 'https://w3id.org/datalyft/concept/barn')).toBe(true);
  });

  it('answers HTML with tables in the shared layout', async () => {
    const res = await fetch(`${hub.url}/interoperability?dataset=fk-tillfallig-foraldrapenning`, { headers: { Accept: 'text/html' } });
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('<h1>Interoperability — fk-tillfallig-foraldrapenning</h1>');
    expect(page).toContain('aria-current="page"');
    expect(page).toMatch(/<h2 id="join-paths">Join paths<\/h2>\s*<table>/);
    expect(page).toContain('<a href="/purposes/sfb-114-8-p3"><code>sfb-114-8-p3</code></a>');
  });

  it('shows who may join what on a concept, and leaves its many join paths to paths=all', async () => {
    const res = await fetch(`${hub.url}/interoperability?concept=personnummer`, { headers: { Accept: 'text/html' } });
    const page = await res.text();
    expect(page).toContain('<h2 id="lawful-groups">Who may join what, for which purpose</h2>');
    expect(page).toContain('<a href="/interoperability?concept=personnummer&amp;paths=all">list them all</a>');
  });

  it('refuses an unknown dataset with dataset-not-found and an unknown parameter with unknown-parameter', async () => {
    const missing = await fetch(`${hub.url}/interoperability?dataset=no-such-dataset`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { code: string }).code).toBe('dataset-not-found');
    const unknown = await fetch(`${hub.url}/interoperability?foo=1`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown-parameter');
  });
});
