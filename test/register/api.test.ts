/**
 * The absence register through HTTP: reporting with a reporter's token (201 receipt or 422
 * with every violation), and reading only through the gate, only by FK's control purpose
 * under the proposal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/server.ts';

const REGISTER = 'skolverket-franvaroregister';
const NOW = new Date('2026-03-10T09:00:00Z');
let hub: RunningHub;
let dataDir: string;

const report = (over: Record<string, unknown> = {}) => ({
  personnummer: '201503141234', skolenhetskod: '39867213', skolform: 'grundskola', datum: '2026-03-09',
  narvarostatus: 'franvaro', omfattning: 'hel', giltig: 'ja', ...over,
});

async function post(body: string, type: string, token = 'demo-skolrapportor'): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${hub.url}/register/${REGISTER}/reports`, { method: 'POST', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function sparql(token: string, purpose: string, regime: string, query: string): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${hub.url}/sparql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}`, accept: 'application/sparql-results+json' },
    body: new URLSearchParams({ query, purpose, regime }).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-register-'));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, now: () => NOW, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('reporting through the API', () => {
  it('takes a JSON report from a reporter and answers 201 with a receipt', async () => {
    const { status, json } = await post(JSON.stringify([report()]), 'application/json');
    expect(status).toBe(201);
    expect(json.receipt).toMatchObject({ register: REGISTER, count: 1, reporter: 'eva-skolrapportor', time: NOW.toISOString() });
    expect(json.receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.receipt.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes a class as CSV', async () => {
    const csv = 'personnummer,skolenhetskod,skolform,datum,narvarostatus,omfattning,giltig\n201211024565,39867213,grundskola,2026-03-09,narvaro,hel,\n201906307895,48210557,forskola,2026-03-09,franvaro,del,nej\n';
    const { status, json } = await post(csv, 'text/csv');
    expect(status).toBe(201);
    expect(json.receipt.count).toBe(2);
  });

  it('answers 422 with every violation, row and field, and stores nothing', async () => {
    const { status, json } = await post(JSON.stringify([report(), report({ personnummer: '201503141235', datum: '2026-03-11' }), report({ skolenhetskod: '12345678', personnummer: '201211024565' })]), 'application/json');
    expect(status).toBe(422);
    expect(json.code).toBe('report-invalid');
    expect(json.violations.map((v: any) => [v.row, v.field, v.code])).toEqual([
      [2, 'personnummer', 'invalid-personnummer'], [2, 'datum', 'date-in-future'], [3, 'skolenhetskod', 'unknown-school-unit'],
    ]);
    const again = await post(JSON.stringify([report()]), 'application/json');
    expect(again.json.violations).toEqual([{ row: 1, field: 'personnummer', code: 'duplicate-report', message: 'This child has already been reported at 39867213 on 2026-03-09; the register holds that report.' }]);
  });

  it('refuses a principal that may not report, and a request without a token', async () => {
    expect((await post(JSON.stringify([report()]), 'application/json', 'demo-fk-kontrollutredare')).json.code).toBe('not-a-reporter');
    const anonymous = await post(JSON.stringify([report()]), 'application/json', '');
    expect([anonymous.status, anonymous.json.code]).toEqual([401, 'authentication-required']);
  });
});

describe('reading the register only by the gate\'s rules', () => {
  const query = 'SELECT ?barn ?datum ?status WHERE { ?r dlt:barn ?barn ; dlt:frregDatum ?datum ; dlt:frregNarvarostatus ?status } ORDER BY ?barn';

  it('lets FK\'s control investigator read it for franvaroregister-kontroll under the proposal', async () => {
    const { status, json } = await sparql('demo-fk-kontrollutredare', 'franvaroregister-kontroll', 'sou-2025-108', query);
    expect(status).toBe(200);
    expect(json.results.bindings.map((b: any) => b.barn.value)).toEqual(['201211024565', '201503141234', '201906307895']);
  });

  it('refuses the same request under today\'s law, citing the proposal it rests on', async () => {
    const { status, json } = await sparql('demo-fk-kontrollutredare', 'franvaroregister-kontroll', 'gallande-ratt', query);
    expect([status, json.code]).toEqual([403, 'purpose-not-in-force']);
    expect(JSON.stringify(json)).toContain('SOU 2025:108, proposed statutory purpose of the absence register');
    expect(JSON.stringify(json)).not.toContain('201503141234');
  });

  it('refuses PM, citing the provision', async () => {
    const { status, json } = await sparql('demo-pm-kontrollutredare', 'sfb-114-8-p4', 'sou-2025-108', query);
    expect([status, json.code]).toEqual([403, 'purpose-not-permitted']);
    expect(json.refused[0]).toMatchObject({ datasetId: REGISTER, citation: 'SOU 2025:108, proposed statutory purpose of the absence register' });
    const own = await sparql('demo-pm-kontrollutredare', 'franvaroregister-kontroll', 'sou-2025-108', query);
    expect([own.status, own.json.code]).toEqual([403, 'purpose-not-held-by-role']);
    expect(JSON.stringify(json)).not.toContain('201503141234');
  });

  it("refuses Skolverket's own statistician, citing the provision", async () => {
    const { status, json } = await sparql('demo-skolverket-statistiker', 'sfb-114-8-p7', 'sou-2025-108', 'SELECT (COUNT(?r) AS ?n) WHERE { ?r dlt:frregDatum ?d }');
    expect([status, json.code]).toEqual([403, 'purpose-not-permitted']);
    expect(json.refused[0]).toMatchObject({ datasetId: REGISTER, citation: 'SOU 2025:108, proposed statutory purpose of the absence register' });
  });
});
