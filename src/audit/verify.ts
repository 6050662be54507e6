/**
 * Checking the whole audit trail: every line parses, carries the next sequence number,
 * names the previous entry's hash, and matches its own hash. The report names the first
 * entry where that fails (by the sequence number expected there, and the line) and why.
 * Validation returns data; the CLI decides the exit code.
 */
import fs from 'node:fs';
import { GENESIS_HASH, hashOf, type AuditEntry } from './log.ts';

export interface VerifyProblem {
  /** The sequence number expected at the failing position. */
  seq: number;
  /** 1-based line of the file. */
  line: number;
  /** What is wrong: `edited`, `deleted`, `reordered`, `chain-broken`, `unreadable`. */
  kind: 'edited' | 'deleted' | 'reordered' | 'chain-broken' | 'unreadable';
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  file: string;
  entries: number;
  /** The last entry's seq and hash when the chain holds: keep it elsewhere to catch a rewrite of the tail. */
  head?: { seq: number; hash: string };
  problem?: VerifyProblem;
}

export function verifyAuditFile(file: string): VerifyReport {
  if (!fs.existsSync(file)) return { ok: true, file, entries: 0 };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  // Sequence numbers present anywhere, to tell a reordering from a deletion.
  const parsed: (AuditEntry | undefined)[] = lines.map((line) => {
    try {
      const value = JSON.parse(line) as AuditEntry;
      return typeof value === 'object' && value !== null ? value : undefined;
    } catch {
      return undefined;
    }
  });
  const positions = new Map<number, number>();
  parsed.forEach((e, i) => {
    if (e && typeof e.seq === 'number' && !positions.has(e.seq)) positions.set(e.seq, i);
  });

  let prevHash = GENESIS_HASH;
  let expected = 1;
  const fail = (index: number, kind: VerifyProblem['kind'], message: string): VerifyReport => ({
    ok: false, file, entries: lines.length, problem: { seq: expected, line: index + 1, kind, message },
  });
  for (let i = 0; i < lines.length; i++) {
    const entry = parsed[i];
    if (!entry) return fail(i, 'unreadable', `line ${i + 1} is not a JSON entry`);
    if (typeof entry.hash !== 'string' || hashOf(entry) !== entry.hash) {
      return fail(i, 'edited', `entry seq ${String(entry.seq)} does not match its hash: its content was changed after it was written`);
    }
    if (entry.seq !== expected) {
      const later = positions.get(expected);
      if (later !== undefined && later > i) {
        return fail(i, 'reordered', `entry seq ${expected} is out of order: line ${i + 1} holds seq ${entry.seq}, seq ${expected} comes later at line ${later + 1}`);
      }
      if (typeof entry.seq === 'number' && entry.seq > expected) {
        return fail(i, 'deleted', `entry seq ${expected} is missing: line ${i + 1} holds seq ${entry.seq} right after seq ${expected - 1}${entry.seq - expected > 1 ? ` (seq ${expected}–${entry.seq - 1} deleted)` : ' (deleted)'}`);
      }
      return fail(i, 'reordered', `line ${i + 1} holds seq ${String(entry.seq)} where seq ${expected} belongs (moved or duplicated)`);
    }
    if (entry.prevHash !== prevHash) {
      return fail(i, 'chain-broken', `entry seq ${expected} does not name the hash of entry seq ${expected - 1}: an earlier entry was replaced`);
    }
    prevHash = entry.hash;
    expected += 1;
  }
  return { ok: true, file, entries: lines.length, head: lines.length > 0 ? { seq: expected - 1, hash: prevHash } : undefined };
}
