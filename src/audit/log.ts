/**
 * The audit trail: one JSON line per entry in <dataDir>/audit/audit.jsonl, append-only,
 * hash-chained, each line fsync'ed before `append` returns.
 *
 * Each entry carries `prevHash` (the hash of the entry before it; 64 zeros for the first)
 * and `hash` = SHA-256 of the canonical JSON of the entry without `hash` (keys sorted, no
 * whitespace, undefined members left out). Editing an entry breaks its hash; deleting or
 * reordering entries breaks the sequence numbers and the chain; `verify` names the first
 * entry where that happens. A rewrite of the whole file from some entry on, with every hash
 * recomputed, can only be caught against a head hash kept elsewhere: `verify` prints it.
 *
 * Writes are synchronous (writeSync on a descriptor opened for appending), so the entries
 * of concurrent requests never interleave and the chain is decided when `append` or
 * `write` returns. `append` also fsyncs before returning. `write` leaves the fsync to
 * `sync()`, which resolves once every entry written before it is on disk; one fsync serves
 * every caller waiting at the time (group commit), and it runs off the event loop. The gate
 * writes its decision entry before the query runs and its completion entry after, and
 * awaits `sync()` before anything is answered: one fsync per request instead of two, shared
 * by concurrent requests. A failed write or fsync leaves the log refusing every later write
 * until it is reopened: the gate then answers 503 and lets nothing out (fail closed).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatalyftError } from '../errors.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditReason {
  code: string;
  outcome: string;
  message: string;
  provision?: string;
  citation?: string;
  dataset?: string;
  protectionClass?: string;
}

/** What a caller records; the log adds seq, time, prevHash and hash. */
export interface AuditRecord {
  /**
   * `decision`: a gate decision (allow or deny), written before the query runs.
   * `completion`: what a permitted query returned, written before the result is sent.
   * `audit-read`: a reading of this trail through GET /audit.
   * `erasure`: a year of a register erased (src/register/erasure.ts): counts, never values.
   */
  kind: 'decision' | 'completion' | 'audit-read' | 'erasure';
  principal?: string;
  agency?: string;
  role?: string;
  purpose?: string;
  regime?: string;
  transaction?: string;
  /** SHA-256 (hex) of the query text as sent, and the text. */
  queryHash?: string;
  query?: string;
  /** Named graphs the decision permits, and those the query was run on. */
  graphsPermitted?: string[];
  graphsReached?: string[];
  /** Record datasets the request concerned (named by the query or reached through the permitted graphs). */
  datasets?: string[];
  decision?: 'allow' | 'deny';
  /** Deciding code of a denial, or the error code of a failed run. */
  code?: string;
  status?: number;
  reasons?: AuditReason[];
  provisions?: string[];
  /** For a completion: the seq of the decision entry it completes. */
  refers?: number;
  rows?: number;
  truncated?: boolean;
  suppressed?: boolean;
  /** Filters of an audit reading. */
  filters?: Record<string, string>;
  /** For an erasure: who erased (`system` for the schedule), the register id, the year, what was removed. */
  actor?: string;
  register?: string;
  year?: number;
  graphsErased?: string[];
  quads?: number;
  records?: number;
  noop?: boolean;
}

export interface AuditEntry extends AuditRecord {
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
}

const immutables = new WeakSet<object>();
const canonicalOfImmutable = new WeakMap<object, string>();

/**
 * Deep-freezes a value and marks it (and everything in it) as never changing again, so
 * that canonicalJson serialises it once: the gate's cached decisions go into every audit
 * entry of the same kind of request (tens of kilobytes of reasons and graphs).
 */
export function immutable<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !immutables.has(value)) {
    for (const v of Object.values(value)) immutable(v);
    Object.freeze(value);
    immutables.add(value);
  }
  return value;
}

/** Canonical JSON: object keys sorted, no whitespace, undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (immutables.has(value)) {
    let text = canonicalOfImmutable.get(value);
    if (text === undefined) {
      text = canonicalOf(value);
      canonicalOfImmutable.set(value, text);
    }
    return text;
  }
  return canonicalOf(value);
}

function canonicalOf(value: object): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash an entry must carry: over everything but `hash` itself (prevHash included). */
export function hashOf(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return sha256(canonicalJson(rest));
}

/**
 * Signs an entry and gives its line: the same as `hashOf` and then `canonicalJson` of the
 * signed entry, but each member is serialised once (entries carry the decision's reasons
 * and graphs, tens of kilobytes).
 */
function signed(unsigned: Omit<AuditEntry, 'hash'>): { hash: string; line: string } {
  const members = Object.entries(unsigned as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, `${JSON.stringify(k)}:${canonicalJson(v)}`] as const);
  const hash = sha256(`{${members.map(([, m]) => m).join(',')}}`);
  const at = members.findIndex(([k]) => k > 'hash');
  const withHash = [...members.map(([, m]) => m)];
  withHash.splice(at === -1 ? withHash.length : at, 0, `"hash":${JSON.stringify(hash)}`);
  return { hash, line: `{${withHash.join(',')}}` };
}

/** File operations the log uses; tests pass failing ones to check that the gate fails closed. */
export interface AuditIo {
  openAppend(file: string): number;
  write(fd: number, data: string): void;
  fsync(fd: number): void;
  /** fsync off the event loop; without it `sync()` calls `fsync`. */
  fsyncAsync?(fd: number): Promise<void>;
  close(fd: number): void;
}

export const nodeIo: AuditIo = {
  openAppend: (file) => fs.openSync(file, 'a', 0o600),
  write: (fd, data) => {
    const buffer = Buffer.from(data, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
  },
  // fdatasync: the data and the file size, all an appended line needs to be read back after
  // a crash (SQLite syncs its journal the same way); it skips the timestamps, which costs a
  // fsync a journal commit of its own (about 3× the time on the shared machine).
  fsync: (fd) => fs.fdatasyncSync(fd),
  fsyncAsync: (fd) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
  close: (fd) => fs.closeSync(fd),
};

export function auditFileIn(dataDir: string): string {
  return path.join(dataDir, 'audit', 'audit.jsonl');
}

/** Index of the last newline before `before` (exclusive), or -1; reads backwards in chunks. */
function lastNewline(fd: number, before: number): number {
  const chunk = 64 * 1024;
  let position = before;
  while (position > 0) {
    const start = Math.max(0, position - chunk);
    const buffer = Buffer.alloc(position - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    const nl = buffer.lastIndexOf(0x0a);
    if (nl !== -1) return start + nl;
    position = start;
  }
  return -1;
}

/** The last complete line of a file (entries can be long), and where a torn last line starts. */
function readLastLine(file: string): { line?: string; tornAt?: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return {};
    let end = size;
    let tornAt: number | undefined;
    if (lastNewline(fd, size) !== size - 1) {
      // The process died mid-write: the last line never ended.
      tornAt = lastNewline(fd, size) + 1;
      end = tornAt;
      if (end === 0) return { tornAt };
    }
    const from = lastNewline(fd, end - 1) + 1;
    const buffer = Buffer.alloc(end - 1 - from);
    fs.readSync(fd, buffer, 0, buffer.length, from);
    return { line: buffer.toString('utf8'), tornAt };
  } finally {
    fs.closeSync(fd);
  }
}

export interface AuditLogOptions {
  io?: AuditIo;
  log?: (line: string) => void;
}

export class AuditLog {
  readonly file: string;
  private readonly io: AuditIo;
  private fd: number | undefined;
  private seq = 0;
  private head = GENESIS_HASH;
  private broken: Error | undefined;
  /** Highest seq known to be on disk. */
  private durableSeq = 0;
  /** The fsync in flight, if any. */
  private flushing: Promise<void> | undefined;

  private constructor(file: string, io: AuditIo) {
    this.file = file;
    this.io = io;
  }

  /**
   * Opens (or creates) the log in a data directory. The last entry is read and its hash
   * checked, so the chain continues from a verified head; a torn last line (a write the
   * process did not finish, hence never acknowledged) is cut off. Full verification of
   * every entry is `datalyft audit verify`.
   */
  static open(dataDir: string, options: AuditLogOptions = {}): AuditLog {
    const file = auditFileIn(dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const log = new AuditLog(file, options.io ?? nodeIo);
    if (fs.existsSync(file)) {
      const { line, tornAt } = readLastLine(file);
      if (tornAt !== undefined) {
        fs.truncateSync(file, tornAt);
        options.log?.(`audit: cut off an unfinished last line of ${file} at byte ${tornAt} (a write interrupted before it was acknowledged)`);
      }
      if (line !== undefined && line.trim() !== '') {
        let entry: AuditEntry;
        try {
          entry = JSON.parse(line) as AuditEntry;
        } catch {
          throw new DatalyftError('audit-corrupt', `The last entry of ${file} is not valid JSON; run \`datalyft audit verify\` and restore the log before starting the hub.`, { status: 500, where: { file } });
        }
        if (typeof entry.seq !== 'number' || hashOf(entry) !== entry.hash) {
          throw new DatalyftError('audit-corrupt', `The last entry of ${file} (seq ${String(entry.seq)}) does not match its hash; run \`datalyft audit verify\` and restore the log before starting the hub.`, { status: 500, where: { file, seq: entry.seq } });
        }
        log.seq = entry.seq;
        log.head = entry.hash;
        log.durableSeq = entry.seq;
      }
    }
    log.fd = log.io.openAppend(file);
    return log;
  }

  /** Sequence number and hash of the last entry written. */
  get last(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.head };
  }

  /**
   * Appends an entry and makes it durable before returning it. Throws `audit-unavailable`
   * (503) when the entry cannot be written; after that every append throws until reopened.
   */
  append(record: AuditRecord, time: Date): AuditEntry {
    const entry = this.write(record, time);
    try {
      this.io.fsync(this.fd!);
    } catch (error) {
      throw this.fail(error);
    }
    this.durableSeq = Math.max(this.durableSeq, entry.seq);
    return entry;
  }

  /**
   * Appends an entry to the file without waiting for the disk: `sync()` makes it durable.
   * Throws `audit-unavailable` (503) when it cannot be written, like `append`.
   */
  write(record: AuditRecord, time: Date): AuditEntry {
    if (this.broken || this.fd === undefined) throw this.unavailable();
    const unsigned = { ...record, seq: this.seq + 1, time: time.toISOString(), prevHash: this.head };
    const { hash, line } = signed(unsigned);
    try {
      this.io.write(this.fd, `${line}\n`);
    } catch (error) {
      throw this.fail(error);
    }
    this.seq = unsigned.seq;
    this.head = hash;
    return { ...unsigned, hash };
  }

  /**
   * Resolves when every entry written so far is on disk. Callers that arrive while an fsync
   * runs share the next one (group commit). Rejects with `audit-unavailable` when the fsync
   * fails; the log then refuses every later write.
   */
  async sync(): Promise<void> {
    const target = this.seq;
    while (this.durableSeq < target) {
      if (this.broken || this.fd === undefined) throw this.unavailable();
      if (this.flushing) {
        await this.flushing.catch(() => undefined);
        continue;
      }
      const upTo = this.seq;
      const fd = this.fd;
      this.flushing = (this.io.fsyncAsync ? this.io.fsyncAsync(fd) : Promise.resolve().then(() => this.io.fsync(fd))).then(
        () => {
          this.durableSeq = Math.max(this.durableSeq, upTo);
        },
        (error: unknown) => {
          throw this.fail(error);
        },
      ).finally(() => {
        this.flushing = undefined;
      });
      await this.flushing;
    }
  }

  private fail(error: unknown): DatalyftError {
    this.broken ??= error instanceof Error ? error : new Error(String(error));
    return new DatalyftError('audit-unavailable', `The audit entry could not be written (${this.broken.message}), so nothing is answered (fail closed).`, { status: 503, cause: error });
  }

  private unavailable(): DatalyftError {
    return new DatalyftError('audit-unavailable', 'The audit trail cannot be written, so nothing is answered (fail closed). An operator must check the audit directory and restart the hub.', { status: 503, cause: this.broken });
  }

  /** Every entry, read from the file (for GET /audit and the CLI). */
  readAll(): AuditEntry[] {
    return readEntries(this.file);
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        // Entries written but not yet synced (a request still in flight) go to disk first.
        if (this.durableSeq < this.seq && !this.broken) {
          this.io.fsync(this.fd);
          this.durableSeq = this.seq;
        }
        this.io.close(this.fd);
      } catch {
        // closing is best effort; an entry counts as durable only once an fsync covered it
      }
      this.fd = undefined;
    }
  }
}

export function readEntries(file: string): AuditEntry[] {
  if (!fs.existsSync(file)) return [];
  const out: AuditEntry[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      // verify reports it; readers skip what they cannot read
    }
  }
  return out;
}
