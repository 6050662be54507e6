import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { isDatalyftError } from '../../src/errors.ts';
import { AuditLog, auditFileIn, canonicalJson, GENESIS_HASH, hashOf, nodeIo, type AuditEntry, type AuditIo } from '../../src/audit/log.ts';
import { verifyAuditFile } from '../../src/audit/verify.ts';

const T0 = new Date('2026-12-03T10:00:00Z');

function logWith(n: number): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-audit-'));
  const log = AuditLog.open(dir);
  for (let i = 1; i <= n; i++) {
    log.append({ kind: 'decision', principal: `https://w3id.org/datalyft/principal/p${i}`, decision: i % 2 ? 'allow' : 'deny', query: `SELECT ${i}` }, new Date(T0.getTime() + i * 1000));
  }
  log.close();
  return { dir, file: auditFileIn(dir) };
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('the audit log', () => {
  it('chains each entry to the one before by hash, from 64 zeros', () => {
    const { file } = logWith(3);
    const entries = lines(file).map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    for (const e of entries) expect(hashOf(e)).toBe(e.hash);
    expect(lines(file)[0]).toBe(canonicalJson(entries[0]));
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, entries: 3, head: { seq: 3, hash: entries[2]!.hash } });
  });

  it('continues the chain after reopening', () => {
    const { dir, file } = logWith(2);
    const log = AuditLog.open(dir);
    expect(log.last.seq).toBe(2);
    log.append({ kind: 'decision', decision: 'allow' }, T0);
    log.close();
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, entries: 3 });
  });

  it('cuts off a torn last line (a write never acknowledged) when it opens', () => {
    const { dir, file } = logWith(2);
    appendFileSync(file, '{"seq":3,"kind":"deci');
    const notes: string[] = [];
    const log = AuditLog.open(dir, { log: (l) => notes.push(l) });
    expect(notes[0]).toMatch(/cut off an unfinished last line/);
    log.append({ kind: 'decision', decision: 'deny' }, T0);
    log.close();
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuses to open a log whose last entry does not match its hash (audit-corrupt)', () => {
    const { dir, file } = logWith(2);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"p2"', '"p9"').replace('/p2"', '/p9"'));
    try {
      AuditLog.open(dir);
      throw new Error('expected audit-corrupt');
    } catch (error) {
      expect(isDatalyftError(error) && error.code).toBe('audit-corrupt');
    }
  });
});

describe('the audit log: entries written now, synced together (group commit)', () => {
  /** nodeIo that counts fsyncs and holds each asynchronous one until released. */
  function countingIo(): AuditIo & { syncs: number; release(): void } {
    const held: (() => void)[] = [];
    const io = {
      ...nodeIo,
      syncs: 0,
      fsync: (fd: number) => {
        io.syncs += 1;
        nodeIo.fsync(fd);
      },
      fsyncAsync: (fd: number) => new Promise<void>((resolve) => {
        io.syncs += 1;
        held.push(() => {
          nodeIo.fsync(fd);
          resolve();
        });
      }),
      release: () => {
        for (const go of held.splice(0)) go();
      },
    };
    return io;
  }

  it('writes the same chained, canonical lines as append', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-audit-'));
    const log = AuditLog.open(dir);
    const a = log.write({ kind: 'decision', decision: 'allow', graphsPermitted: ['https://example.org/g'], reasons: [{ code: 'c', outcome: 'allow', message: 'm', provision: undefined }] }, T0);
    const b = log.append({ kind: 'completion', refers: a.seq, rows: 3 }, T0);
    log.close();
    const entries = lines(auditFileIn(dir)).map((l) => JSON.parse(l) as AuditEntry);
    expect(lines(auditFileIn(dir))).toEqual(entries.map((e) => canonicalJson(e)));
    expect(entries.map((e) => e.hash)).toEqual([a.hash, b.hash]);
    for (const e of entries) expect(hashOf(e)).toBe(e.hash);
    expect(verifyAuditFile(auditFileIn(dir))).toMatchObject({ ok: true, entries: 2 });
  });

  it('makes every entry written before sync() durable, with one fsync for the callers waiting together', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-audit-'));
    const io = countingIo();
    const log = AuditLog.open(dir, { io });
    log.write({ kind: 'decision', decision: 'allow' }, T0);
    const first = log.sync();
    // Three more requests arrive while the first fsync runs: they share the next one.
    const later = [1, 2, 3].map(() => {
      log.write({ kind: 'decision', decision: 'allow' }, T0);
      return log.sync();
    });
    expect(io.syncs).toBe(1);
    io.release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(io.syncs).toBe(2);
    io.release();
    await Promise.all(later);
    expect(io.syncs).toBe(2);
    await log.sync(); // nothing new: no fsync
    expect(io.syncs).toBe(2);
    log.close();
    expect(verifyAuditFile(auditFileIn(dir))).toMatchObject({ ok: true, entries: 4 });
  });

  it('rejects sync() with audit-unavailable when the fsync fails, and refuses every later write', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-audit-'));
    const log = AuditLog.open(dir, { io: { ...nodeIo, fsyncAsync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })) } });
    log.write({ kind: 'decision', decision: 'allow' }, T0);
    await expect(log.sync()).rejects.toMatchObject({ code: 'audit-unavailable', status: 503 });
    expect(() => log.write({ kind: 'decision', decision: 'deny' }, T0)).toThrowError(expect.objectContaining({ code: 'audit-unavailable' }));
    log.close();
  });
});

describe('datalyft audit verify', () => {
  it('names an edited entry by seq', () => {
    const { file } = logWith(5);
    const all = lines(file);
    const edited = JSON.parse(all[2]!) as AuditEntry;
    edited.decision = 'allow';
    edited.query = 'SELECT nothing to see';
    all[2] = canonicalJson(edited);
    writeFileSync(file, `${all.join('\n')}\n`);
    expect(verifyAuditFile(file).problem).toMatchObject({ seq: 3, line: 3, kind: 'edited' });
  });

  it('names an edited entry whose hash was recomputed, at the next entry that no longer chains', () => {
    const { file } = logWith(5);
    const all = lines(file);
    const edited = JSON.parse(all[1]!) as AuditEntry;
    edited.decision = 'allow';
    edited.hash = hashOf(edited);
    all[1] = canonicalJson(edited);
    writeFileSync(file, `${all.join('\n')}\n`);
    expect(verifyAuditFile(file).problem).toMatchObject({ seq: 3, line: 3, kind: 'chain-broken' });
  });

  it('names a deleted entry by the seq that is missing', () => {
    const { file } = logWith(5);
    const all = lines(file);
    all.splice(3, 1);
    writeFileSync(file, `${all.join('\n')}\n`);
    const report = verifyAuditFile(file);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ seq: 4, line: 4, kind: 'deleted' });
    expect(report.problem!.message).toMatch(/entry seq 4 is missing/);
  });

  it('names two swapped entries as reordered at the first of them', () => {
    const { file } = logWith(5);
    const all = lines(file);
    [all[1], all[2]] = [all[2]!, all[1]!];
    writeFileSync(file, `${all.join('\n')}\n`);
    expect(verifyAuditFile(file).problem).toMatchObject({ seq: 2, line: 2, kind: 'reordered' });
  });

  it('exits 1 naming the first bad entry, 0 with the head hash when the chain holds', async () => {
    const good = logWith(3);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await main(['audit', 'verify', '--data-dir', good.dir], io)).toBe(0);
    expect(out[0]).toMatch(/3 entries, chain intact; head seq 3 hash [0-9a-f]{64}/);

    const bad = logWith(4);
    const all = lines(bad.file);
    all.splice(1, 1);
    writeFileSync(bad.file, `${all.join('\n')}\n`);
    expect(await main(['audit', 'verify', '--file', bad.file], io)).toBe(1);
    expect(err.at(-1)).toMatch(/:2: entry seq 2 deleted: entry seq 2 is missing/);

    expect(await main(['audit', 'list', '--data-dir', good.dir, '--decision', 'deny'], io)).toBe(0);
    expect(out.at(-1)!.split('\n')).toHaveLength(1);
    expect(await main(['audit', 'frobnicate'], io)).toBe(2);
  });
});
