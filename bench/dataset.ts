/**
 * The data every measure runs on: demo records (src/ingest/demo.ts) loaded through the real
 * ingest path (ajv → mapping → SHACL → one durable commit per batch) into a data directory
 * of the embedded store, and the same quads written out as N-Quads for the baselines.
 *
 * The largest size (10M quads) is not ingested record by record: the 1M-quad data is
 * replicated with shifted identifiers (each copy gets its own record IRIs, personnummer,
 * decision, payment and case ids, so a lookup still finds one person and a join still joins
 * one person's records) and committed to a fresh data directory through the store's commit,
 * the durable path ingest ends in.
 */
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Catalog } from '../src/catalog/catalog.ts';
import { generateDemo, DEMO_BATCH } from '../src/ingest/demo.ts';
import { ingestBatch, ingestEngine } from '../src/ingest/pipeline.ts';
import { GRAPHS } from '../src/rdf/namespaces.ts';
import { parseRdf } from '../src/rdf/parse.ts';
import { publishMetadata } from '../src/server.ts';
import { DurableStore } from '../src/store/durable-store.ts';

/** Record quads per generated person and per record, measured on the demo profile (for sizing only). */
const QUADS_PER_PERSON = 100;
const QUADS_PER_RECORD = 8.9;
/** Lines per N-Quads file: a file must fit in one JS string. */
const LINES_PER_FILE = 400_000;
/** Quads per commit when writing replicated data. */
const COMMIT_QUADS = 200_000;
/** The demo's "today", fixed so every run generates the same records. */
export const REFERENCE_DAY = new Date('2025-06-15T00:00:00Z');
export const QUERY_TIMEOUT_MS = 600_000;

const METADATA = new Set<string>([GRAPHS.ontology, GRAPHS.catalog, GRAPHS.shapes]);

export interface IngestFigures {
  /** Wall time of the ingest loop (every ingestBatch call), generation excluded. */
  ms: number;
  records: number;
  accepted: number;
  quads: number;
  batches: number;
  /** Generating the records (not part of ingest). */
  generateMs: number;
}

export interface BenchData {
  label: string;
  dataDir: string;
  persons: number;
  /** Quads in record graphs, and in the whole store (with the public metadata graphs). */
  recordQuads: number;
  totalQuads: number;
  /** N-Quads of the record graphs and of the metadata graphs (together: the whole store). */
  recordFiles: string[];
  metadataFiles: string[];
  ingest?: IngestFigures;
  replicatedFrom?: { label: string; copies: number; ms: number };
}

export function allFiles(data: BenchData): string[] {
  return [...data.metadataFiles, ...data.recordFiles];
}

export function openStore(dataDir: string): Promise<DurableStore> {
  return DurableStore.open({ dataDir, queryTimeoutMs: QUERY_TIMEOUT_MS, log: () => {} });
}

function nquad(graph: string, body: string): string {
  return graph === '' ? `${body} .` : `${body} <${graph}> .`;
}

/** Writes N-Quads lines to numbered files of at most LINES_PER_FILE lines. */
class NQuadsFiles {
  readonly files: string[] = [];
  private lines: string[] = [];
  count = 0;

  constructor(private readonly stem: string) {}

  push(line: string): void {
    this.lines.push(line);
    this.count++;
    if (this.lines.length >= LINES_PER_FILE) this.flush();
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const file = `${this.stem}-${String(this.files.length).padStart(3, '0')}.nq`;
    writeFileSync(file, `${this.lines.join('\n')}\n`);
    this.files.push(file);
    this.lines = [];
  }
}

/** Writes the store's content out as N-Quads files, records and metadata apart. */
function exportNQuads(store: DurableStore, dir: string): { recordFiles: string[]; metadataFiles: string[]; recordQuads: number; totalQuads: number } {
  const records = new NQuadsFiles(path.join(dir, 'records'));
  const metadata = new NQuadsFiles(path.join(dir, 'metadata'));
  for (const row of store.databaseDump()) {
    const tab = row.indexOf('\t');
    const graph = row.slice(0, tab);
    (METADATA.has(graph) ? metadata : records).push(nquad(graph, row.slice(tab + 1)));
  }
  records.flush();
  metadata.flush();
  return { recordFiles: records.files, metadataFiles: metadata.files, recordQuads: records.count, totalQuads: records.count + metadata.count };
}

/**
 * Generates demo records for about `targetQuads` record quads and ingests them, batch by
 * batch, into a fresh data directory, as the demo loader does (a principal that may write
 * each dataset; records with the generator's deliberate errors are skipped and logged).
 */
export async function buildByIngest(catalog: Catalog, options: { label: string; targetQuads: number; root: string; log: (line: string) => void }): Promise<BenchData> {
  const dataDir = path.join(options.root, `data-${options.label}`);
  const exportDir = path.join(options.root, `nq-${options.label}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(exportDir, { recursive: true, force: true });
  mkdirSync(exportDir, { recursive: true });
  // Size the population: generate, estimate the quads from the records, and once more if
  // the estimate is off by more than 4 % (the demo profile decides records per person).
  let persons = Math.max(50, Math.round(options.targetQuads / QUADS_PER_PERSON));
  let started = performance.now();
  let generated = generateDemo(catalog, { persons, reference: REFERENCE_DAY });
  const estimate = generated.reduce((s, d) => s + d.records.length, 0) * QUADS_PER_RECORD;
  if (Math.abs(estimate - options.targetQuads) > options.targetQuads / 25) {
    persons = Math.max(50, Math.round((persons * options.targetQuads) / estimate));
    generated = generateDemo(catalog, { persons, reference: REFERENCE_DAY });
  }
  const generateMs = performance.now() - started;
  const total = generated.reduce((s, d) => s + d.records.length, 0);
  options.log(`  ${options.label}: generated ${total} records for ${persons} persons in ${(generateMs / 1000).toFixed(1)} s`);

  const store = await openStore(dataDir);
  const figures: IngestFigures = { ms: 0, records: 0, accepted: 0, quads: 0, batches: 0, generateMs };
  try {
    await publishMetadata(store, catalog);
    const engine = ingestEngine(catalog);
    const deps = { catalog, store, config: { dataDir }, engine };
    // Compile every mapping and shape set before the clock starts: a running hub has them.
    for (const { dataset } of generated) engine.shapesFor(dataset);
    started = performance.now();
    let nextReport = performance.now() + 15_000;
    // As the demo loader does (loadDemo): two batches in flight, one in the SHACL worker or
    // the store while the next is checked at the door.
    const inFlight = new Set<Promise<void>>();
    for (const { dataset, layout, records } of generated) {
      if (records.length === 0) continue;
      const writer = [...catalog.principals.values()].find((p) => p.role && catalog.roles.get(p.role)?.mayWrite.includes(dataset.iri));
      if (!writer) continue;
      for (let start = 0; start < records.length; start += DEMO_BATCH) {
        const batch = records.slice(start, start + DEMO_BATCH);
        const job: Promise<void> = ingestBatch(deps, {
          dataset: dataset.iri, sourceSystem: layout.sourceSystem, records: batch, principal: writer.id, via: 'bench', invalid: 'skip-records', upsert: false,
        }).then((result) => {
          figures.records += result.records;
          figures.accepted += result.accepted;
          figures.quads += result.quads;
          figures.batches += 1;
          if (performance.now() > nextReport) {
            options.log(`  ${options.label}: ingested ${figures.records} of ${total} records`);
            nextReport = performance.now() + 15_000;
          }
        }).finally(() => inFlight.delete(job));
        inFlight.add(job);
        if (inFlight.size >= 2) await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
    // The last commit is durable when ingestBatch returns; wait until the engine has it too.
    await store.query({ query: 'ASK {}', defaultGraphs: [], namedGraphs: [], resultFormat: 'application/sparql-results+json' });
    figures.ms = performance.now() - started;
    const exported = exportNQuads(store, exportDir);
    return { label: options.label, dataDir, persons, ...exported, ingest: figures };
  } finally {
    await store.close();
  }
}

/** Record predicates whose values identify a person, record, case, decision or payment: shifted per copy. */
function isIdentifierPredicate(iri: string): boolean {
  const local = iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1);
  return local === 'personnummer' || local === 'barn' || /id$/i.test(local) || /vardnadshavare$/i.test(local);
}

const RECORD_IRI = /<(https:\/\/w3id\.org\/datalyft\/record\/[^>]*)>/g;
const LINE = /^(<[^>]*>) (<[^>]*>) (.*) (<[^>]*>) \.$/;

/** An N-Quads line of copy `k`: record IRIs and identifier literals get the suffix `-r<k>`. */
export function shiftLine(line: string, copy: number): string {
  if (copy === 0) return line;
  const suffix = `-r${copy}`;
  const m = LINE.exec(line);
  if (!m) return line.replace(RECORD_IRI, (_all, iri: string) => `<${iri}${suffix}>`);
  const [, s, p, o, g] = m as unknown as [string, string, string, string, string];
  let object = o.replace(RECORD_IRI, (_all, iri: string) => `<${iri}${suffix}>`);
  if (object.startsWith('"') && isIdentifierPredicate(p.slice(1, -1))) {
    const end = object.lastIndexOf('"');
    object = `${object.slice(0, end)}${suffix}${object.slice(end)}`;
  }
  return `${s.replace(RECORD_IRI, (_all, iri: string) => `<${iri}${suffix}>`)} ${p} ${object} ${g} .`;
}

async function* linesOf(files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of reader) if (line !== '') yield line;
  }
}

/**
 * `copies` copies of the source's record quads (copy 0 unchanged), committed to a fresh
 * data directory in batches through DurableStore.commit, and written as N-Quads.
 */
export async function buildByReplication(catalog: Catalog, source: BenchData, options: { label: string; copies: number; root: string; log: (line: string) => void }): Promise<BenchData> {
  const dataDir = path.join(options.root, `data-${options.label}`);
  const exportDir = path.join(options.root, `nq-${options.label}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(exportDir, { recursive: true, force: true });
  mkdirSync(exportDir, { recursive: true });
  const started = performance.now();
  const store = await openStore(dataDir);
  const files = new NQuadsFiles(path.join(exportDir, 'records'));
  try {
    await publishMetadata(store, catalog);
    let batch: string[] = [];
    const commit = async (): Promise<void> => {
      if (batch.length === 0) return;
      const quads = parseRdf(`${batch.join('\n')}\n`, { format: 'application/n-quads' });
      batch = [];
      await store.commit({ add: quads, note: `bench: replicated records` });
    };
    for (let copy = 0; copy < options.copies; copy++) {
      for await (const line of linesOf(source.recordFiles)) {
        const shifted = shiftLine(line, copy);
        files.push(shifted);
        batch.push(shifted);
        if (batch.length >= COMMIT_QUADS) await commit();
      }
      await commit();
      options.log(`  ${options.label}: copy ${copy + 1} of ${options.copies} committed (${files.count} quads, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    await store.query({ query: 'ASK {}', defaultGraphs: [], namedGraphs: [], resultFormat: 'application/sparql-results+json' });
    files.flush();
    const metadataFiles = source.metadataFiles.map((file) => {
      const target = path.join(exportDir, path.basename(file));
      writeFileSync(target, readFileSync(file));
      return target;
    });
    const metadataQuads = (await store.size()) - files.count;
    return {
      label: options.label, dataDir, persons: source.persons * options.copies, recordQuads: files.count, totalQuads: files.count + metadataQuads,
      recordFiles: files.files, metadataFiles, replicatedFrom: { label: source.label, copies: options.copies, ms: performance.now() - started },
    };
  } finally {
    await store.close();
  }
}
