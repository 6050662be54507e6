/**
 * POST /datasets/{id}/records: the ingest path over HTTP, with each refusal's own code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/server.ts';

let hub: RunningHub;
let dataDir: string;
const AGI = 'skatteverket-inkomstuppgifter';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-records-'));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const statement = (over: Record<string, unknown> = {}) => ({
  ArbetsgivareOrgnr: '165560360793', Betalningsmottagare: '198503121231', Redovisningsperiod: '202403', Specifikationsnummer: '001',
  KontantErsattningUlagAG: 38500, AvdrPrelSkatt: 9870, ...over,
});

async function post(dataset: string, body: string, options: { type?: string; token?: string | null; query?: string } = {}): Promise<{ status: number; json: Record<string, any> }> {
  const token = options.token === undefined ? 'demo-skatteverket-system' : options.token;
  const res = await fetch(`${hub.url}/datasets/${dataset}/records${options.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': options.type ?? 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('POST /datasets/{id}/records', () => {
  it('takes a JSON array in the source system\'s layout', async () => {
    const { status, json } = await post(AGI, JSON.stringify([statement(), statement({ Specifikationsnummer: '002', KontantErsattningUlagAG: 1200 })]));
    expect(status).toBe(200);
    expect(json).toMatchObject({ dataset: AGI, sourceSystem: 'skatteverket-inkomst', records: 2, accepted: 2, graphs: [`https://w3id.org/datalyft/graph/${AGI}/base`] });
  });

  it('takes NDJSON', async () => {
    const body = `${JSON.stringify(statement({ Specifikationsnummer: '010' }))}\n${JSON.stringify(statement({ Specifikationsnummer: '011' }))}\n`;
    const { status, json } = await post(AGI, body, { type: 'application/x-ndjson' });
    expect([status, json.accepted]).toEqual([200, 2]);
  });

  it('answers 422 batch-rejected with every violation and stores nothing', async () => {
    const before = await hub.deps.store.size();
    const { status, json } = await post(AGI, JSON.stringify([
      statement({ Specifikationsnummer: '020' }),
      statement({ Specifikationsnummer: '021', Betalningsmottagare: '198503121234', KontantErsattningUlagAG: -500 }),
      statement({ Specifikationsnummer: '022', Redovisningsperiod: '202413' }),
    ]));
    expect(status).toBe(422);
    expect(json.code).toBe('batch-rejected');
    expect(json.violations.map((v: any) => [v.record, v.field, v.rule])).toEqual([
      [1, 'Betalningsmottagare', 'personnummer'], [1, 'KontantErsattningUlagAG', 'minimum'], [2, 'Redovisningsperiod', 'datatype'],
    ]);
    expect(await hub.deps.store.size()).toBe(before);
  });

  it('refuses bad JSON with its line and column', async () => {
    const { status, json } = await post(AGI, '[{"Betalningsmottagare": }]');
    expect([status, json.code]).toEqual([400, 'invalid-json']);
    expect(json.where).toMatchObject({ line: 1, column: 26 });
    expect(json.detail).toBe('The body is not valid JSON: unexpected "}", expected a value at line 1, column 26.');
  });

  it('refuses invalid NDJSON naming the line', async () => {
    const { status, json } = await post(AGI, `${JSON.stringify(statement())}\n{"a":\n`, { type: 'application/x-ndjson' });
    expect([status, json.code, json.where.line, json.where.record]).toEqual([400, 'invalid-json', 2, 1]);
  });

  it('refuses prototype-pollution keys anywhere, naming record and path', async () => {
    const body = `[${JSON.stringify(statement())}, {"Betalningsmottagare": "198503121231", "x": {"__proto__": {"admin": true}}}]`;
    const { status, json } = await post(AGI, body);
    expect([status, json.code]).toEqual([400, 'forbidden-key']);
    expect(json.where).toEqual({ record: 1, path: '/x/__proto__' });
    const ctor = await post(AGI, JSON.stringify([{ ...statement(), constructor: { prototype: 1 } }]));
    expect([ctor.status, ctor.json.code, ctor.json.where.path]).toEqual([400, 'forbidden-key', '/constructor']);
  });

  it('refuses 100,000-deep nesting without overflowing the stack', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { status, json } = await post(AGI, deep);
    expect([status, json.code]).toEqual([400, 'too-deep']);
    const deepObject = `[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]`;
    expect((await post(AGI, deepObject)).json.code).toBe('too-deep');
  });

  it('refuses a JSON-LD record with a remote @context and fetches nothing', async () => {
    const { status, json } = await post(AGI, JSON.stringify([{ '@context': 'https://evil.example/context.jsonld', ...statement() }]), { type: 'application/ld+json' });
    expect([status, json.code]).toEqual([400, 'remote-context-refused']);
    expect(json.where).toMatchObject({ record: 0, url: 'https://evil.example/context.jsonld' });
  });

  it('answers 401 without a token and with an unknown one', async () => {
    expect((await post(AGI, '[]', { token: null })).status).toBe(401);
    const unknown = await post(AGI, '[]', { token: 'not-a-token-at-all' });
    expect([unknown.status, unknown.json.code]).toEqual([401, 'unknown-token']);
  });

  it('answers 403 write-not-permitted to a principal whose role may not write the dataset', async () => {
    const { status, json } = await post(AGI, JSON.stringify([statement()]), { token: 'demo-fk-kontrollutredare' });
    expect([status, json.code]).toEqual([403, 'write-not-permitted']);
    expect(json.writers).toContain('skatteverket-system');
  });

  it('answers 404 for an unknown dataset and 415 for another media type', async () => {
    expect((await post('no-such-dataset', '[]')).json.code).toBe('dataset-not-found');
    const csv = await post(AGI, 'a,b', { type: 'text/csv' });
    expect([csv.status, csv.json.code]).toEqual([415, 'unsupported-media-type']);
  });

  it('takes records of another source system that feeds the dataset', async () => {
    const { status, json } = await post('pm-inkomster', JSON.stringify([{ Personnummer: '19520229-1117', Inkomstar: 2023, OverskottTjanst: 231400 }]), { token: 'demo-pm-system', query: '?sourceSystem=skatteverket-beskattning' });
    expect([status, json.sourceSystem]).toEqual([200, 'skatteverket-beskattning']);
    const unmapped = await post('pm-inkomster', '[]', { token: 'demo-pm-system', query: '?sourceSystem=csn' });
    expect([unmapped.status, unmapped.json.code]).toEqual([400, 'mapping-not-found']);
  });

  it('shows the JSON Schema of the door and the shapes of the graph', async () => {
    const schema = (await (await fetch(`${hub.url}/datasets/${AGI}/records/schema`)).json()) as Record<string, any>;
    expect(schema.properties.Betalningsmottagare.format).toBe('personnummer');
    const shapes = await (await fetch(`${hub.url}/datasets/${AGI}/records/shapes`)).text();
    expect(shapes).toContain('dl:validator dl:PersonnummerCheck');
  });
});
