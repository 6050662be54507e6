import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityLogPath } from '../../src/quality/log.ts';
import type { QualityReport } from '../../src/quality/report.ts';
import { CONTEXT_URL, jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { startHub, type RunningHub } from '../../src/server.ts';
import { FIXTURE_LOG, FULL_IDENTIFIER } from './helpers.ts';

let hub: RunningHub;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-quality-http-'));
  await mkdir(path.dirname(qualityLogPath(dataDir)), { recursive: true });
  await copyFile(FIXTURE_LOG, qualityLogPath(dataDir));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('GET /quality', () => {
  it('answers JSON with violations by rule for the income statements\' source system, masked', async () => {
    const res = await fetch(`${hub.url}/quality`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(FULL_IDENTIFIER);
    const body = JSON.parse(text) as QualityReport;
    const skv = body.sources.find((s) => s.sourceSystem === 'skatteverket-inkomst')!;
    expect(skv.rules.map((r) => `${r.rule} ${r.count}`)).toEqual(['personnummer 40', 'datatype 10', 'pattern 6', 'organisationsnummer 5']);
    expect(skv.rules[0]!.examples[1]!.value).toBe('19850312-****');
    expect(body.problems).toHaveLength(2);
  });

  it('answers JSON-LD with our context', async () => {
    const res = await fetch(`${hub.url}/quality?source=skatteverket-inkomst`, { headers: { Accept: 'application/ld+json' } });
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect((body['@context'] as unknown[])[0]).toBe(CONTEXT_URL);
    expect(body.filter).toEqual({ source: 'skatteverket-inkomst' });
    expect((await jsonldToQuads(body)).length).toBeGreaterThan(0);
  });

  it('answers HTML with a table of rules per source system and the trend, no full personnummer in it', async () => {
    const res = await fetch(`${hub.url}/quality`, { headers: { Accept: 'text/html' } });
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('<h1>Data quality</h1>');
    expect(page).toContain('<section id="source-skatteverket-inkomst">');
    expect(page).toContain('<caption>Trend over ingests</caption>');
    expect(page).toContain('19850312-****');
    expect(page).not.toMatch(FULL_IDENTIFIER);
  });

  it('refuses a source system nobody knows with source-system-not-found', async () => {
    const res = await fetch(`${hub.url}/quality?source=no-such-system`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('source-system-not-found');
  });
});
