/**
 * No record leaves without an audit record written first: when the audit trail cannot be
 * written, the gate answers 503 `audit-unavailable` and lets nothing out.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, nodeIo, type AuditIo } from '../../src/audit/log.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { QueryRequest } from '../../src/store/types.ts';
import { ask, startFixtureHub, TOKENS, visible, type Fixture } from '../sparql/fixture.ts';

const QUERY = 'SELECT ?id WHERE { ?c dlt:arendeid ?id }';

/** A store that counts the queries it runs. */
class CountingStore extends MemoryStore {
  runs: QueryRequest[] = [];
  override async query(request: QueryRequest) {
    this.runs.push(request);
    return super.query(request);
  }
}

/** Writes fail from the `failFrom`-th write on (1-based). */
function failingIo(failFrom: number): AuditIo {
  let writes = 0;
  return {
    ...nodeIo,
    write: (fd, data) => {
      writes += 1;
      if (writes >= failFrom) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      nodeIo.write(fd, data);
    },
  };
}

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function hubWith(io: AuditIo): Promise<{ fx: Fixture; store: CountingStore }> {
  const store = new CountingStore();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-audit-fail-'));
  const audit = AuditLog.open(dir, { io });
  fx = await startFixtureHub({ hub: { store, audit } });
  store.runs = [];
  return { fx, store };
}

describe('fail closed', () => {
  it('answers 503 audit-unavailable and does not run the query when the decision cannot be written', async () => {
    const { fx, store } = await hubWith(failingIo(1));
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: QUERY });
    expect(a.status).toBe(503);
    expect(a.json().code).toBe('audit-unavailable');
    expect(visible(a)).not.toContain('TFP-');
    expect(store.runs).toHaveLength(0);
  });

  it('lets no result out when the completion cannot be written after the query ran', async () => {
    const { fx, store } = await hubWith(failingIo(2));
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: QUERY });
    expect(store.runs).toHaveLength(1);
    expect(a.status).toBe(503);
    expect(a.json().code).toBe('audit-unavailable');
    expect(visible(a)).not.toContain('TFP-');
    expect(a.headers.get('datalyft-truncated')).toBeNull();
  });

  it('lets no result out when the entries cannot be made durable (the fsync fails)', async () => {
    const { fx, store } = await hubWith({ ...nodeIo, fsyncAsync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) });
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: QUERY });
    expect(a.status).toBe(503);
    expect(a.json().code).toBe('audit-unavailable');
    expect(visible(a)).not.toContain('TFP-');
    const later = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: QUERY });
    expect(later.status).toBe(503);
    expect(store.runs).toHaveLength(1);
  });

  it('stays closed after a failed write: later requests, denials included, get 503 too', async () => {
    const { fx, store } = await hubWith(failingIo(1));
    await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: QUERY });
    const deny = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p4', query: QUERY });
    expect(deny.status).toBe(503);
    expect(deny.json().code).toBe('audit-unavailable');
    expect(store.runs).toHaveLength(0);
    expect((await fetch(`${fx.hub.url}/health`)).status).toBe(200);
  });

  it('still answers queries on the public metadata, which are not decisions about a principal', async () => {
    const { fx } = await hubWith(failingIo(1));
    const a = await ask(fx, { query: 'SELECT (COUNT(*) AS ?n) WHERE { ?d a dcat:Dataset }' });
    expect(a.status).toBe(200);
  });
});
