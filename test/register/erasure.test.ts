import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { eraseDue, eraseYear, erasedThrough, scheduleErasure } from '../../src/register/erasure.ts';
import { requireRegister, yearGraphs, yearlyRegisters } from '../../src/register/registers.ts';
import { factory } from '../../src/rdf/parse.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

function fakeAudit() {
  const entries: Record<string, unknown>[] = [];
  return { entries, append: (record: object, time: Date) => { entries.push({ ...record, time: time.toISOString() }); return { seq: entries.length }; } };
}

async function storeWith(years: number[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  const register = requireRegister(catalog, 'skolverket-franvaroregister');
  const date = register.partitionElement.predicate;
  for (const year of years) {
    for (const graph of yearGraphs(catalog, register, year)) {
      const g = factory.namedNode(graph);
      const s = factory.namedNode(`urn:test:${year}`);
      await store.commit({ add: [
        factory.quad(s, factory.namedNode(date), factory.literal(`${year}-03-09`, factory.namedNode('http://www.w3.org/2001/XMLSchema#date')), g),
        factory.quad(s, factory.namedNode('https://w3id.org/datalyft/term#barn'), factory.literal('201503141234'), g),
      ] });
    }
  }
  await store.commit({ add: [factory.quad(factory.namedNode('urn:other'), factory.namedNode('urn:p'), factory.literal('2025-01-01'), factory.namedNode('https://w3id.org/datalyft/graph/fk-foraldrapenning/personuppgifter'))] });
  return store;
}

describe('registers found by catalog facts', () => {
  it('finds the year-partitioned register with fixed-cycle erasure and nothing else', () => {
    expect(yearlyRegisters(catalog).map((r) => r.dataset.id)).toEqual(['skolverket-franvaroregister']);
  });
  it('refuses a dataset that is not such a register, naming the registers', () => {
    expect(() => requireRegister(catalog, 'fk-tillfallig-foraldrapenning')).toThrow(/not a register with yearly erasure.*Registers: skolverket-franvaroregister/);
    expect(() => requireRegister(catalog, 'no-such')).toThrow(/No register "no-such"/);
  });
});

describe('erasing a year', () => {
  it('drops every graph of the year, audits counts without personal data, and is a no-op the second time', async () => {
    const store = await storeWith([2024, 2025]);
    const audit = fakeAudit();
    const deps = { catalog, store, audit, now: () => new Date('2026-01-20T08:00:00Z') };
    const first = await eraseYear(deps, { register: 'skolverket-franvaroregister', year: 2024, actor: 'operator', auditNoop: true });
    expect(first).toMatchObject({ register: 'skolverket-franvaroregister', year: 2024, noop: false, records: 1, auditSeq: 1 });
    expect(first.graphs.length).toBe(yearGraphs(catalog, requireRegister(catalog, 'skolverket-franvaroregister'), 2024).length);
    expect(first.quads).toBe(first.graphs.length * 2);
    const left = await store.graphs();
    expect(left.some((g) => g.includes('/2024/'))).toBe(false);
    expect(left.some((g) => g.includes('/2025/'))).toBe(true);
    expect(left).toContain('https://w3id.org/datalyft/graph/fk-foraldrapenning/personuppgifter');
    expect(JSON.stringify(audit.entries)).not.toMatch(/201503141234|2024-03-09/);
    expect(audit.entries[0]).toMatchObject({ kind: 'erasure', actor: 'operator', register: 'skolverket-franvaroregister', year: 2024, records: 1, noop: false });

    const second = await eraseYear(deps, { register: 'skolverket-franvaroregister', year: 2024, actor: 'operator', auditNoop: true });
    expect(second).toMatchObject({ noop: true, quads: 0, records: 0, graphs: [], auditSeq: 2 });
    expect(audit.entries[1]).toMatchObject({ kind: 'erasure', noop: true, quads: 0 });
  });
});

describe('the yearly schedule', () => {
  it('erases the previous year from the erasure date on, and the year before that until then', () => {
    expect(erasedThrough(new Date('2026-01-14T12:00:00Z'), '01-15')).toBe(2024);
    expect(erasedThrough(new Date('2026-01-15T00:30:00+01:00'), '01-15')).toBe(2025);
    expect(erasedThrough(new Date('2026-01-14T23:30:00Z'), '01-15')).toBe(2025); // already 15 January in Sweden
  });

  it('erases what is due at start, as system, and nothing twice', async () => {
    const store = await storeWith([2023, 2024, 2025]);
    const audit = fakeAudit();
    let now = new Date('2026-01-10T10:00:00Z');
    const lines: string[] = [];
    const schedule = scheduleErasure({ catalog, store, audit, now: () => now, log: (l) => lines.push(l) }, { erasureDate: '01-15', runAtStart: false });
    try {
      const before = await schedule.runNow();
      expect(before.map((r) => r.year)).toEqual([2023, 2024]);
      expect(audit.entries.map((e) => [e.actor, e.year])).toEqual([['system', 2023], ['system', 2024]]);
      expect(await schedule.runNow()).toEqual([]);
      now = new Date('2026-01-15T09:00:00Z');
      expect((await schedule.runNow()).map((r) => r.year)).toEqual([2025]);
      expect((await store.graphs()).filter((g) => g.includes('skolverket-franvaroregister'))).toEqual([]);
      expect(lines).toHaveLength(3);
    } finally {
      await schedule.stop();
    }
    expect(await eraseDue({ catalog, store, audit, now: () => now }, { erasureDate: '01-15' })).toEqual([]);
  });
});
