/**
 * The durable half of the embedded store: SQLite (better-sqlite3) in
 * `<dataDir>/datalyft.sqlite`, WAL mode, synchronous=FULL, so a commit that returned is on
 * disk and survives kill -9. The in-memory query engine is only an index rebuilt from here.
 *
 * Layout: one table per graph, `q<id>(t TEXT PRIMARY KEY) WITHOUT ROWID`, one N-Triples
 * line body per quad. A graph in a table of its own makes erasure exact: dropping the
 * graph drops its table, and with secure_delete every page it used is zeroed, then the WAL
 * is checkpointed and truncated, so no byte of the graph is left in any file (rows of
 * different graphs never share a page). `graphs` maps IRIs to table ids and counts,
 * `journal` says what each commit did (counts and the caller's note, never a value or a
 * graph name), `meta` holds the schema version.
 *
 * The database is opened in exclusive locking mode: one process owns a data directory (a
 * second hub on the same directory would serve an engine the first one's writes never
 * reach), and WAL then keeps its index in memory, with no -shm file.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatalyftError } from '../errors.ts';
import type { GraphText } from './engine-protocol.ts';
import { hasBlankNode, toNTriples, type SerializedBatch } from './ntriples.ts';

export const DATABASE_FILE = 'datalyft.sqlite';
const SCHEMA_VERSION = 1;
/** Rows read per statement when streaming the content into the engine. */
const PAGE_ROWS = 50_000;

interface GraphRow {
  id: number;
  quads: number;
}

/** What a commit changed, line by line: only these go to the engine. */
export interface AppliedChange {
  seq: number;
  dropped: string[];
  removed: Map<string, string[]>;
  added: Map<string, string[]>;
  droppedQuads: number;
}

export interface CommitHooks {
  /** Called inside the transaction after every write; throwing rolls the whole batch back. */
  insideTransaction?: () => void;
  /** Called after an erasure's transaction committed, before the WAL checkpoint (tests kill the process here). */
  beforeCheckpoint?: () => void;
}

type Statement = Database.Statement<unknown[], unknown>;

function sqliteCode(error: unknown): string {
  return (error as { code?: string }).code ?? '';
}

function unwritable(dir: string, error: unknown): DatalyftError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatalyftError('data-dir-unwritable', `The data directory ${dir} cannot be written (${reason}). Give the hub a directory it may create and write (DATALYFT_DATA_DIR).`, {
    status: 500,
    where: { file: dir },
    cause: error,
  });
}

export class QuadDatabase {
  /** Journal number of the last commit. */
  seq: number;
  private graphRows: Map<string, GraphRow>;
  private readonly statements = new Map<string, Statement>();

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.graphRows = new Map((db.prepare('SELECT iri, id, quads FROM graphs').all() as { iri: string; id: number; quads: number }[]).map((r) => [r.iri, { id: r.id, quads: r.quads }]));
    this.seq = (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM journal').get() as { seq: number }).seq;
  }

  static open(dataDir: string): QuadDatabase {
    const dir = path.resolve(dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (error) {
      throw unwritable(dir, error);
    }
    const file = path.join(dir, DATABASE_FILE);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: 2000 });
      // Exclusive before WAL: the WAL index then lives in memory and no -shm file exists.
      db.pragma('locking_mode = EXCLUSIVE');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.pragma('temp_store = MEMORY');
      db.pragma('cache_size = -65536');
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS graphs (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, quads INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS journal (
          seq INTEGER PRIMARY KEY, at TEXT NOT NULL, note TEXT,
          added INTEGER NOT NULL, removed INTEGER NOT NULL, dropped_graphs INTEGER NOT NULL, dropped_quads INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
      `);
      const version = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get());
      if (version !== SCHEMA_VERSION) {
        throw new DatalyftError('store-schema-unsupported', `${file} has schema version ${version}; this Datalyft reads version ${SCHEMA_VERSION}. Use the Datalyft version that wrote it.`, { status: 500, where: { file } });
      }
      // A process killed between an erasure's commit and its checkpoint left the old pages
      // in the WAL: move everything into the database file and truncate the WAL now.
      db.pragma('wal_checkpoint(TRUNCATE)');
      return new QuadDatabase(db, file);
    } catch (error) {
      db?.close();
      if (error instanceof DatalyftError) throw error;
      const code = sqliteCode(error);
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new DatalyftError('data-dir-in-use', `The data directory ${dir} is in use by another Datalyft process. Stop it first, or use the running hub.`, { status: 500, where: { file: dir }, cause: error });
      }
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new DatalyftError('store-corrupt', `${file} is not a Datalyft database (${(error as Error).message}).`, { status: 500, where: { file }, cause: error });
      }
      throw unwritable(dir, error);
    }
  }

  /** Graph IRIs that hold at least one quad, sorted. */
  graphs(): string[] {
    return [...this.graphRows].filter(([iri, row]) => iri !== '' && row.quads > 0).map(([iri]) => iri).sort();
  }

  size(graph?: string): number {
    if (graph !== undefined) return this.graphRows.get(graph)?.quads ?? 0;
    let total = 0;
    for (const row of this.graphRows.values()) total += row.quads;
    return total;
  }

  /** Every line body of a graph, in key order. */
  lines(graph: string): string[] {
    const row = this.graphRows.get(graph);
    if (!row) return [];
    return this.statement(`SELECT t FROM q${row.id}`, true).all() as string[];
  }

  /** Every row as `<graph>\t<line body>`, sorted: a full dump for tests that compare states. */
  dump(): string[] {
    const out: string[] = [];
    for (const iri of this.graphRows.keys()) for (const line of this.lines(iri)) out.push(`${iri}\t${line}`);
    return out.sort();
  }

  /** The journal, oldest first. */
  journal(): { seq: number; at: string; note: string | null; added: number; removed: number; droppedGraphs: number; droppedQuads: number }[] {
    return this.db.prepare('SELECT seq, at, note, added, removed, dropped_graphs AS droppedGraphs, dropped_quads AS droppedQuads FROM journal ORDER BY seq').all() as never;
  }

  /**
   * Applies the batch in one transaction: drop graphs, remove, add, journal. If anything
   * throws, SQLite rolls it all back and nothing here changes either.
   */
  commit(batch: SerializedBatch, note: string | undefined, hooks: CommitHooks = {}): AppliedChange {
    const rows = new Map([...this.graphRows].map(([iri, row]) => [iri, { ...row }]));
    const touched = new Set<GraphRow>();
    const change: AppliedChange = { seq: 0, dropped: [], removed: new Map(), added: new Map(), droppedQuads: 0 };
    let added = 0;
    let removed = 0;
    const run = this.db.transaction(() => {
      for (const iri of batch.drop) {
        const row = rows.get(iri);
        if (!row) continue;
        this.forget(row.id);
        this.db.exec(`DROP TABLE q${row.id}`);
        this.statement('DELETE FROM graphs WHERE id = ?').run(row.id);
        rows.delete(iri);
        touched.delete(row);
        change.dropped.push(iri);
        change.droppedQuads += row.quads;
      }
      for (const [iri, lines] of batch.remove) {
        const row = rows.get(iri);
        if (!row) continue;
        const del = this.statement(`DELETE FROM q${row.id} WHERE t = ?`);
        const gone: string[] = [];
        for (const line of lines) if (del.run(line).changes > 0) gone.push(line);
        if (gone.length === 0) continue;
        row.quads -= gone.length;
        removed += gone.length;
        touched.add(row);
        change.removed.set(iri, gone);
      }
      for (const [iri, lines] of batch.add) {
        let row = rows.get(iri);
        if (!row) {
          const id = Number(this.statement('INSERT INTO graphs (iri, quads) VALUES (?, 0)').run(iri).lastInsertRowid);
          this.db.exec(`CREATE TABLE q${id} (t TEXT PRIMARY KEY) WITHOUT ROWID`);
          row = { id, quads: 0 };
          rows.set(iri, row);
        }
        const insert = this.statement(`INSERT OR IGNORE INTO q${row.id} (t) VALUES (?)`);
        const fresh: string[] = [];
        for (const line of lines) if (insert.run(line).changes > 0) fresh.push(line);
        if (fresh.length === 0) continue;
        row.quads += fresh.length;
        added += fresh.length;
        touched.add(row);
        const before = change.added.get(iri);
        if (before) before.push(...fresh);
        else change.added.set(iri, fresh);
      }
      const update = this.statement('UPDATE graphs SET quads = ? WHERE id = ?');
      for (const row of touched) update.run(row.quads, row.id);
      if (change.dropped.length > 0) this.rewriteGraphTable();
      change.seq = Number(this.statement('INSERT INTO journal (at, note, added, removed, dropped_graphs, dropped_quads) VALUES (?, ?, ?, ?, ?, ?)')
        .run(new Date().toISOString(), note ?? null, added, removed, change.dropped.length, change.droppedQuads).lastInsertRowid);
      hooks.insideTransaction?.();
    });
    try {
      run.immediate();
    } catch (error) {
      // Statements prepared for tables the rollback removed (or restored) are stale.
      this.statements.clear();
      if (error instanceof DatalyftError) throw error;
      throw new DatalyftError('store-write-failed', `The batch could not be written to ${this.file}; nothing of it was stored (${error instanceof Error ? error.message : String(error)}).`, { status: 500, cause: error });
    }
    this.graphRows = rows;
    this.seq = change.seq;
    if (change.dropped.length > 0) {
      hooks.beforeCheckpoint?.();
      this.checkpoint();
    }
    return change;
  }

  /**
   * Copies every page of the WAL into the database file and truncates the WAL to zero
   * bytes: after an erasure, the old versions of the pages (with the erased values) are
   * gone from the WAL too.
   */
  checkpoint(): void {
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (result && result.busy !== 0) {
      throw new DatalyftError('store-checkpoint-failed', `The write-ahead log of ${this.file} could not be checkpointed (busy); the erased values may still be in it. Retry the erasure.`, { status: 500 });
    }
  }

  /**
   * The whole content as N-Triples, graph by graph, in chunks of at most PAGE_ROWS lines;
   * lines with blank nodes come apart (the engine must keep their labels). Reads page by
   * page (no statement stays open across a yield), so commits may run in between; the
   * engine's rebuild copes with that (see QueryEngine.rebuild).
   */
  async *stream(): AsyncGenerator<GraphText> {
    for (const [iri, { id }] of [...this.graphRows]) {
      let after = '';
      for (;;) {
        let page: string[];
        try {
          page = this.statement(`SELECT t FROM q${id} WHERE t > ? ORDER BY t LIMIT ${PAGE_ROWS}`, true).all(after) as string[];
        } catch (error) {
          if (/no such table/.test((error as Error).message)) break; // dropped meanwhile
          throw error;
        }
        if (page.length === 0) break;
        after = page[page.length - 1]!;
        const blank: string[] = [];
        let plain = page;
        for (let i = 0; i < page.length; i++) {
          if (!hasBlankNode(page[i]!)) continue;
          plain = page.filter((line) => !hasBlankNode(line));
          for (let j = i; j < page.length; j++) if (hasBlankNode(page[j]!)) blank.push(page[j]!);
          break;
        }
        if (plain.length > 0) yield { graph: iri, text: toNTriples(plain) };
        if (blank.length > 0) yield { graph: iri, text: toNTriples(blank), keepBlankNodes: true };
        if (page.length < PAGE_ROWS) break;
      }
    }
    // The pages just read sit in SQLite's cache, a copy of the whole database the engine
    // now holds anyway: give that memory back.
    if (this.db.open) this.db.pragma('shrink_memory');
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private statement(sql: string, pluck = false): Statement {
    const key = pluck ? `p:${sql}` : sql;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (pluck) statement.pluck();
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Drops the cached statements of a graph table before the table goes. */
  private forget(id: number): void {
    const table = new RegExp(`\\bq${id}\\b`);
    for (const key of [...this.statements.keys()]) if (table.test(key)) this.statements.delete(key);
  }

  /**
   * Rewrites the small `graphs` table into fresh pages and drops the old one, so the IRI of
   * a dropped graph is not left in a page's free space.
   */
  private rewriteGraphTable(): void {
    this.db.exec(`
      CREATE TABLE graphs_new (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, quads INTEGER NOT NULL);
      INSERT INTO graphs_new (id, iri, quads) SELECT id, iri, quads FROM graphs;
      DROP TABLE graphs;
      ALTER TABLE graphs_new RENAME TO graphs;
    `);
    for (const key of [...this.statements.keys()]) if (/\bgraphs\b/.test(key)) this.statements.delete(key);
  }
}
