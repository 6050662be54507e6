import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHub, type RunningHub } from '../../src/server.ts';

let hub: RunningHub;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-health-'));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the hub', () => {
  it('answers /health once it can serve', async () => {
    const res = await fetch(`${hub.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; datasets: number };
    expect(body.status).toBe('ok');
    expect(body.datasets).toBeGreaterThan(0);
  });

  it('answers an unknown path with problem+json', async () => {
    const res = await fetch(`${hub.url}/no/such/thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('not-found');
    expect(body.detail).toContain('/no/such/thing');
  });
});
