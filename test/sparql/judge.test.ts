/**
 * The gate decides each kind of request once (decide() is pure in the request and the
 * catalog, and in the time only through the day): a remembered decision must be the one
 * decide() would take now, carry the request's own time, and never be changed by a caller.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { decide } from '../../src/policy/decide.ts';
import { analyseQuery } from '../../src/sparql/analyse.ts';
import { judge } from '../../src/sparql/gate.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

const B = 'https://w3id.org/datalyft/';
const KARIM = `${B}principal/karim-fk-kontroll`;
const P4 = `${B}purpose/sfb-114-8-p4`;
const QUERY = 'SELECT ?p ?o WHERE { ?s dlt:personnummer "198501011234" ; ?p ?o }';

let catalog: Catalog;
const store = new MemoryStore();
beforeAll(async () => {
  catalog = await Catalog.load();
});

async function judgeAt(time: Date, regime = `${B}regime/gallande-ratt`) {
  return judge({ catalog, store, now: () => time }, {
    analysis: analyseQuery(QUERY, catalog), principal: KARIM, purpose: P4, regime, protocol: { defaultGraphUris: [], namedGraphUris: [] },
  });
}

describe('remembered decisions', () => {
  it('gives the decision decide() takes, with the time of each request', async () => {
    const first = await judgeAt(new Date('2026-03-01T08:00:00Z'));
    const second = await judgeAt(new Date('2026-03-01T09:30:00Z'));
    expect(second.decision.time).toBe('2026-03-01T09:30:00.000Z');
    expect(first.decision.time).toBe('2026-03-01T08:00:00.000Z');
    const fresh = decide({
      principal: KARIM, purpose: P4, regime: `${B}regime/gallande-ratt`, time: new Date('2026-03-01T09:30:00Z'),
      ...(({ datasetsNamed, elementsNamed, selectionElements, aggregateOnly }) => ({ datasetsNamed, elementsNamed, selectionElements, aggregateOnly }))(analyseQuery(QUERY, catalog)),
      metadataOnly: false,
    }, catalog);
    expect(JSON.parse(JSON.stringify(second.decision))).toEqual(JSON.parse(JSON.stringify(fresh)));
    expect(second.decision.allow).toBe(true);
  });

  it('decides again on another day: a regime not yet in force refuses, the day it is in force allows', async () => {
    const before = await judgeAt(new Date('2024-02-14T12:00:00Z'));
    const after = await judgeAt(new Date('2024-02-15T12:00:00Z'));
    expect(before.decision.allow).toBe(false);
    expect(before.decision.code).toBe('regime-not-in-force');
    expect(after.decision.allow).toBe(true);
  });

  it('refuses to let a caller change a remembered decision', async () => {
    const { decision } = await judgeAt(new Date('2026-03-02T08:00:00Z'));
    expect(() => (decision.graphs as string[]).push('https://example.org/other')).toThrow(TypeError);
    expect(() => decision.reasons.splice(0)).toThrow(TypeError);
    const again = await judgeAt(new Date('2026-03-02T08:05:00Z'));
    expect(again.decision.graphs).not.toContain('https://example.org/other');
  });
});
