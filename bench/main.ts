/**
 * `npm run bench` (full: 100k, 1M and 10M quads) and `npm run bench -- --quick` (100k).
 *
 * Every figure is a ratio against a baseline measured in the same run on the same data:
 * the machine is shared and noisy, so absolute times are printed and kept in
 * bench/results.json, never asserted. See BENCHMARKS.md for the reading of a full run.
 *
 * Options: --quick, --out <file> (default bench/results.json), --dir <dir> (working data,
 * default a fresh directory under the system's temp directory, removed at the end unless
 * --keep).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog } from '../src/catalog/catalog.ts';
import { allFiles, buildByIngest, buildByReplication, openStore, type BenchData } from './dataset.ts';
import { askGate, gateDeps, graphsOf, rowsOf } from './gate.ts';
import { measureHttp, type HttpFigures } from './http.ts';
import { askerFor, INVESTIGATOR, joinQuery, lookupQuery, PERSONS_QUERY, queryFor, workloadOf, type QueryName, type Workload } from './queries.ts';
import { RawOxigraph } from './raw-oxigraph.ts';
import { measureComunica, type ComunicaFigures } from './reference.ts';
import { measureRestart, type RestartFigures } from './restart.ts';
import { median, paired, round, timed, type PairedTimes } from './stats.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Options {
  quick: boolean;
  out: string;
  dir?: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, out: path.join(REPO, 'bench', 'results.json'), keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--out') options.out = path.resolve(argv[++i]!);
    else if (arg === '--dir') options.dir = path.resolve(argv[++i]!);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench [-- --quick] [--out bench/results.json] [--dir <work dir>] [--keep]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${arg} (try --help)\n`);
      process.exit(2);
    }
  }
  return options;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** How many runs each query gets, by size. */
interface Runs {
  warmup: number;
  lookup: number;
  join: number;
  aggregate: number;
  deadlineMs: number;
}

interface QueryFigures extends PairedTimes {
  /** Rows of the first run, through the gate and on the baseline. */
  gateRows: number;
  baselineRows: number;
  graphs: number;
}

interface ScaleFigures {
  label: string;
  recordQuads: number;
  totalQuads: number;
  persons: number;
  baselineLoadMs: number;
  lookup: QueryFigures;
  join: QueryFigures;
  aggregate: QueryFigures;
  replicatedFrom?: BenchData['replicatedFrom'];
}

interface QueryContext {
  deps: ReturnType<typeof gateDeps>;
  raw: RawOxigraph;
  workload: Workload;
  /** Graphs the gate permits, per query. */
  graphs: Record<QueryName, string[]>;
}

/**
 * Runs the three queries through the gate and on raw oxigraph, interleaved; then `extra`
 * with the store still open (HTTP). The store is closed when this returns.
 */
async function measureQueries(catalog: Catalog, data: BenchData, runs: Runs, extra?: (ctx: QueryContext) => Promise<void>): Promise<{ figures: ScaleFigures; workload: Workload; graphs: Record<QueryName, string[]> }> {
  log(`queries at ${data.label}: loading the baseline (raw oxigraph, this thread)`);
  const raw = new RawOxigraph();
  const load = await timed(() => raw.loadFiles(allFiles(data)));
  const store = await openStore(data.dataDir);
  const deps = gateDeps(catalog, store, data.dataDir);
  try {
    const allGraphs = await store.graphs();
    const personnummer = (JSON.parse(raw.query(PERSONS_QUERY, allGraphs)) as { results: { bindings: { personnummer: { value: string } }[] } }).results.bindings.map((b) => b.personnummer.value);
    const workload = workloadOf(personnummer);
    log(`  ${workload.persons.length} persons to look up, ${workload.birthYears.length} birth years to join`);
    const figures = {} as Record<QueryName, QueryFigures>;
    const graphsBy = {} as Record<QueryName, string[]>;
    for (const name of ['lookup', 'join', 'aggregate'] as const) {
      const asker = askerFor(name);
      const graphs = await graphsOf(deps, queryFor(name, workload, 0), asker);
      graphsBy[name] = graphs;
      const gateRows = rowsOf((await askGate(deps, queryFor(name, workload, 0), asker)).body);
      const baselineRows = rowsOf(raw.query(queryFor(name, workload, 0), graphs));
      // The aggregate leaves out groups smaller than minGroupSize; everything else must agree.
      if (name === 'aggregate' ? gateRows > baselineRows : gateRows !== baselineRows) {
        throw new Error(`bench: ${name} answers ${gateRows} rows through the gate, ${baselineRows} on raw oxigraph`);
      }
      const times = await paired({
        warmup: runs.warmup,
        runs: runs[name],
        deadlineMs: runs.deadlineMs,
        measured: (i) => askGate(deps, queryFor(name, workload, i), asker),
        baseline: (i) => raw.query(queryFor(name, workload, i), graphs),
        // The same query on the same store without the gate: the query worker's share.
        others: { store: (i) => store.query({ query: queryFor(name, workload, i), defaultGraphs: graphs, namedGraphs: graphs, resultFormat: 'application/sparql-results+json' }) },
      });
      figures[name] = { ...times, gateRows, baselineRows, graphs: graphs.length };
      log(`  ${name}: gate ${times.measured.toFixed(2)} ms, store without the gate ${times.others.store!.toFixed(2)} ms, oxigraph ${times.baseline.toFixed(2)} ms, ratio ${times.ratio.toFixed(2)} (${times.runs} runs, ${baselineRows} rows, ${graphs.length} graphs)`);
    }
    await extra?.({ deps, raw, workload, graphs: graphsBy });
    return {
      figures: {
        label: data.label, recordQuads: data.recordQuads, totalQuads: data.totalQuads, persons: data.persons, baselineLoadMs: load.ms,
        lookup: figures.lookup, join: figures.join, aggregate: figures.aggregate, replicatedFrom: data.replicatedFrom,
      },
      workload,
      graphs: graphsBy,
    };
  } finally {
    await store.close();
    deps.audit.close();
    raw.free();
  }
}

interface IngestRatio {
  records: number;
  accepted: number;
  quads: number;
  batches: number;
  ingestMs: number;
  recordsPerSecond: number;
  rawLoadMs: number;
  rawQuadsPerSecond: number;
  /** Records per second end to end / records per second of a raw load of the same quads. */
  ratio: number;
  generateMs: number;
}

/** The raw side of ingest_ratio: the record quads bulk-loaded into a fresh oxigraph store, median of `runs`. */
function measureIngestRatio(data: BenchData, runs: number): IngestRatio {
  const ingest = data.ingest!;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const raw = new RawOxigraph();
    const started = performance.now();
    raw.loadFiles(data.recordFiles);
    times.push(performance.now() - started);
    if (raw.size !== data.recordQuads) throw new Error(`bench: raw load holds ${raw.size} quads, expected ${data.recordQuads}`);
    raw.free();
  }
  const rawLoadMs = median(times);
  const recordsPerSecond = ingest.records / (ingest.ms / 1000);
  return {
    records: ingest.records, accepted: ingest.accepted, quads: ingest.quads, batches: ingest.batches, ingestMs: ingest.ms, recordsPerSecond,
    rawLoadMs, rawQuadsPerSecond: data.recordQuads / (rawLoadMs / 1000), ratio: round(rawLoadMs / ingest.ms), generateMs: ingest.generateMs,
  };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function machine(): Record<string, string | number> {
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    commit = 'unknown';
  }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length, memoryGiB: round(os.totalmem() / 2 ** 30, 1), cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverageAtStart: os.loadavg().map((x) => round(x, 2)).join(' '), commit,
  };
}

const PACKAGES = ['oxigraph', 'better-sqlite3', 'sparqljs', 'sparqlalgebrajs', 'ajv', 'shacl-engine', 'n3', 'express', 'autocannon', '@comunica/query-sparql', 'tsx'];

interface Target {
  key: string;
  value: number | undefined;
  op: '<=' | '>=';
  target: number;
}

function met(t: Target): boolean | undefined {
  if (t.value === undefined || !Number.isFinite(t.value)) return undefined;
  return t.op === '<=' ? t.value <= t.target : t.value >= t.target;
}

function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 || Number.isInteger(x) ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const quick = options.quick;
  const root = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'datalyft-bench-'));
  mkdirSync(root, { recursive: true });
  log(`bench: ${quick ? 'quick (100k quads)' : 'full (100k, 1M and 10M quads)'}; working data in ${root}`);
  const catalog = await Catalog.load();
  const runs100k: Runs = quick ? { warmup: 5, lookup: 100, join: 20, aggregate: 15, deadlineMs: 6000 } : { warmup: 20, lookup: 300, join: 60, aggregate: 40, deadlineMs: 30_000 };
  const runs1M: Runs = { warmup: 10, lookup: 300, join: 40, aggregate: 20, deadlineMs: 60_000 };
  const runs10M: Runs = { warmup: 3, lookup: 100, join: 15, aggregate: 7, deadlineMs: 120_000 };
  const serving = quick ? { seconds: 3, rounds: 2, restarts: 2 } : { seconds: 6, rounds: 3, restarts: 3 };

  const results: Record<string, unknown> = {
    mode: quick ? 'quick' : 'full', command: `npm run bench${quick ? ' -- --quick' : ''}`, startedAt: new Date().toISOString(), machine: machine(),
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
  };
  const scaling: Record<string, ScaleFigures> = {};
  let http: HttpFigures | undefined;
  let restart: RestartFigures | undefined;
  let ingest: IngestRatio | undefined;
  let comunica: (ComunicaFigures & { oxigraphJoinMs: number; ratio?: number; size: string }) | undefined;

  /** Queries, then HTTP with the store open, then restart with it closed: the main size's figures. */
  const measureMain = async (data: BenchData, runs: Runs): Promise<ScaleFigures> => {
    const measured = await measureQueries(catalog, data, runs, async ({ deps, workload, graphs }) => {
      log(`http at ${data.label}: autocannon, 16 connections, in a separate process`);
      http = await measureHttp({ catalog, deps, asker: INVESTIGATOR, persons: workload.persons, graphs: graphs.lookup, connections: 16, seconds: serving.seconds, rounds: serving.rounds, log });
    });
    log(`restart at ${data.label}: reopening the data directory vs raw load from N-Quads, fresh processes`);
    restart = await measureRestart({ dataDir: data.dataDir, emptyDir: path.join(root, 'data-empty'), files: allFiles(data), query: lookupQuery(measured.workload.persons[0]!), graphs: measured.graphs.lookup, runs: serving.restarts, log });
    return measured.figures;
  };

  try {
    log('data 100k: demo records through the ingest path');
    const small = await buildByIngest(catalog, { label: '100k', targetQuads: 100_000, root, log });
    let measured100k: Awaited<ReturnType<typeof measureQueries>>;
    if (quick) {
      ingest = measureIngestRatio(small, 3);
      log(`  ingest: ${fmt(ingest.recordsPerSecond, 0)} records/s end to end, raw load ${fmt(ingest.rawLoadMs, 0)} ms, ratio ${ingest.ratio}`);
    }
    let oxigraphJoinMs = 0;
    let joinYears: string[] = [];
    const joinOnOxigraph = async ({ raw, workload, graphs }: QueryContext): Promise<void> => {
      joinYears = workload.birthYears.slice(0, quick ? 2 : 5);
      const times: number[] = [];
      for (const year of joinYears) times.push((await timed(() => raw.query(joinQuery(year), graphs.join))).ms);
      oxigraphJoinMs = median(times);
    };
    if (quick) {
      let figures100k: ScaleFigures | undefined;
      measured100k = await measureQueries(catalog, small, runs100k, async (ctx) => {
        await joinOnOxigraph(ctx);
        log(`http at ${small.label}: autocannon, 16 connections, in a separate process`);
        http = await measureHttp({ catalog, deps: ctx.deps, asker: INVESTIGATOR, persons: ctx.workload.persons, graphs: ctx.graphs.lookup, connections: 16, seconds: serving.seconds, rounds: serving.rounds, log });
      });
      figures100k = measured100k.figures;
      log(`restart at ${small.label}: reopening the data directory vs raw load from N-Quads, fresh processes`);
      restart = await measureRestart({ dataDir: small.dataDir, emptyDir: path.join(root, 'data-empty'), files: allFiles(small), query: lookupQuery(measured100k.workload.persons[0]!), graphs: measured100k.graphs.lookup, runs: serving.restarts, log });
      scaling['100k'] = figures100k;
    } else {
      measured100k = await measureQueries(catalog, small, runs100k, joinOnOxigraph);
      scaling['100k'] = measured100k.figures;
    }
    const bound = quick ? 15 : 180;
    log(`reference: Comunica 4.5 over an N3 store, the join at 100k (bounded to ${bound} s)`);
    const reference = await measureComunica({ files: allFiles(small), graphs: measured100k.graphs.join, queries: joinYears.map(joinQuery), boundSeconds: bound });
    comunica = { ...reference, oxigraphJoinMs, ratio: reference.joinMs === undefined ? undefined : round(reference.joinMs / oxigraphJoinMs, 1), size: '100k' };
    log(`  comunica join: ${fmt(reference.joinMs)} ms (${reference.finished} of ${reference.asked} finished), oxigraph ${fmt(oxigraphJoinMs)} ms`);

    if (!quick) {
      if (!options.keep) rmSync(small.dataDir, { recursive: true, force: true });
      log('data 1M: demo records through the ingest path');
      const medium = await buildByIngest(catalog, { label: '1M', targetQuads: 1_000_000, root, log });
      ingest = measureIngestRatio(medium, 3);
      log(`  ingest: ${fmt(ingest.recordsPerSecond, 0)} records/s end to end, raw load ${fmt(ingest.rawLoadMs, 0)} ms, ratio ${ingest.ratio}`);
      scaling['1M'] = await measureMain(medium, runs1M);
      log('data 10M: the 1M data replicated ten times with shifted identifiers, committed through the store');
      const large = await buildByReplication(catalog, medium, { label: '10M', copies: 10, root, log });
      if (!options.keep) rmSync(medium.dataDir, { recursive: true, force: true });
      scaling['10M'] = (await measureQueries(catalog, large, runs10M)).figures;
    }
  } finally {
    if (!options.keep && !options.dir) rmSync(root, { recursive: true, force: true });
  }

  const mainSize = scaling[quick ? '100k' : '1M']!;
  const lookup10M = scaling['10M'] && scaling['1M'] ? round(scaling['10M'].lookup.measured / scaling['1M'].lookup.measured) : undefined;
  Object.assign(results, {
    quads: mainSize.recordQuads,
    total_quads: mainSize.totalQuads,
    gate_lookup_ratio: round(mainSize.lookup.ratio),
    gate_join_ratio: round(mainSize.join.ratio),
    gate_aggregate_ratio: round(mainSize.aggregate.ratio),
    http_gated_vs_ungated: http!.ratio,
    ingest_ratio: ingest!.ratio,
    restart_ratio: restart!.ratio,
    bytes_per_quad: restart!.bytesPerQuad,
    lookup_10m_vs_1m: lookup10M,
    medians_ms: {
      gate_lookup: round(mainSize.lookup.measured), oxigraph_lookup: round(mainSize.lookup.baseline),
      gate_join: round(mainSize.join.measured), oxigraph_join: round(mainSize.join.baseline),
      gate_aggregate: round(mainSize.aggregate.measured), oxigraph_aggregate: round(mainSize.aggregate.baseline),
      reopen: round(restart!.reopenMs, 0), raw_load_all: round(restart!.rawLoadMs, 0),
      ingest: round(ingest!.ingestMs, 0), raw_load_records: round(ingest!.rawLoadMs, 0),
    },
    http: http && {
      connections: http.connections, seconds_per_round: http.seconds, rounds: http.rounds,
      floor_rps: round(http.floor.requestsPerSecond, 1), ungated_rps: round(http.ungated.requestsPerSecond, 1), gated_rps: round(http.gated.requestsPerSecond, 1),
      floor: http.floor, ungated: http.ungated, gated: http.gated,
    },
    ingest,
    restart,
    scaling: Object.fromEntries(Object.entries(scaling).map(([label, s]) => [label, {
      record_quads: s.recordQuads, total_quads: s.totalQuads, persons: s.persons, baseline_load_ms: round(s.baselineLoadMs, 0),
      ...(s.replicatedFrom ? { replicated_from: s.replicatedFrom.label, copies: s.replicatedFrom.copies, build_ms: round(s.replicatedFrom.ms, 0) } : {}),
      ...Object.fromEntries((['lookup', 'join', 'aggregate'] as const).map((q) => [q, {
        gate_ms: round(s[q].measured), store_ms: round(s[q].others.store!), oxigraph_ms: round(s[q].baseline), ratio: round(s[q].ratio), runs: s[q].runs, rows: s[q].baselineRows, gate_rows: s[q].gateRows, graphs: s[q].graphs,
      }])),
    }])),
    comunica,
    seconds: round((performance.now() - started) / 1000, 1),
  });
  const targets: Target[] = [
    { key: 'gate_lookup_ratio', value: results.gate_lookup_ratio as number, op: '<=', target: 2.0 },
    { key: 'gate_join_ratio', value: results.gate_join_ratio as number, op: '<=', target: 1.15 },
    { key: 'gate_aggregate_ratio', value: results.gate_aggregate_ratio as number, op: '<=', target: 1.15 },
    { key: 'http_gated_vs_ungated', value: results.http_gated_vs_ungated as number, op: '>=', target: 0.8 },
    { key: 'ingest_ratio', value: results.ingest_ratio as number, op: '>=', target: 0.25 },
    { key: 'restart_ratio', value: results.restart_ratio as number, op: '<=', target: 1.5 },
    { key: 'bytes_per_quad', value: results.bytes_per_quad as number, op: '<=', target: 600 },
    ...(lookup10M !== undefined ? [{ key: 'lookup_10m_vs_1m', value: lookup10M, op: '<=' as const, target: 2.0 }] : []),
  ];
  results.targets = Object.fromEntries(targets.map((t) => [t.key, { value: t.value, target: `${t.op} ${t.target}`, met: met(t) }]));
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);

  const absolute: Record<string, string> = {
    gate_lookup_ratio: `gate ${fmt(mainSize.lookup.measured)} ms / oxigraph ${fmt(mainSize.lookup.baseline)} ms`,
    gate_join_ratio: `gate ${fmt(mainSize.join.measured)} ms / oxigraph ${fmt(mainSize.join.baseline)} ms`,
    gate_aggregate_ratio: `gate ${fmt(mainSize.aggregate.measured)} ms / oxigraph ${fmt(mainSize.aggregate.baseline)} ms`,
    http_gated_vs_ungated: `gated ${fmt(http!.gated.requestsPerSecond, 0)} / ungated ${fmt(http!.ungated.requestsPerSecond, 0)} req/s (floor ${fmt(http!.floor.requestsPerSecond, 0)})`,
    ingest_ratio: `${fmt(ingest!.recordsPerSecond, 0)} records/s (${fmt(ingest!.ingestMs, 0)} ms) / raw load ${fmt(ingest!.rawLoadMs, 0)} ms`,
    restart_ratio: `reopen ${fmt(restart!.reopenMs, 0)} ms / raw load ${fmt(restart!.rawLoadMs, 0)} ms`,
    bytes_per_quad: `raw oxigraph ${fmt(restart!.rawBytesPerQuad, 0)} B/quad; with the fixed part ${fmt(restart!.grossBytesPerQuad, 0)} / ${fmt(restart!.rawGrossBytesPerQuad, 0)}`,
    lookup_10m_vs_1m: scaling['10M'] ? `gate ${fmt(scaling['10M'].lookup.measured)} ms at 10M / ${fmt(scaling['1M']!.lookup.measured)} ms at 1M` : '',
  };
  const summary = table([
    ['measure', 'value', 'target', 'met', `absolute (${mainSize.label}: ${mainSize.recordQuads.toLocaleString('en-US')} record quads)`],
    ...targets.map((t) => [t.key, t.value !== undefined && t.value < 10 ? t.value.toFixed(3) : fmt(t.value), `${t.op} ${t.target}`, met(t) === undefined ? '—' : met(t) ? 'yes' : 'NO', absolute[t.key] ?? '']),
  ]);
  const scale = table([
    ['size', 'record quads', 'lookup gate / oxigraph ms', 'join gate / oxigraph ms', 'aggregate gate / oxigraph ms'],
    ...Object.values(scaling).map((s) => [
      s.label + (s.replicatedFrom ? ' (replicated)' : ''), s.recordQuads.toLocaleString('en-US'),
      ...(['lookup', 'join', 'aggregate'] as const).map((q) => `${fmt(s[q].measured)} / ${fmt(s[q].baseline)} (${fmt(s[q].ratio)}×)`),
    ]),
  ]);
  const reference = comunica ? `Comunica ${packageVersion('@comunica/query-sparql')} over an N3 store, the join at ${comunica.size}: ${comunica.joinMs === undefined ? `did not finish within ${comunica.boundSeconds} s` : `${fmt(comunica.joinMs)} ms (${comunica.finished} of ${comunica.asked} queries), ${fmt(comunica.ratio, 1)}× oxigraph's ${fmt(comunica.oxigraphJoinMs)} ms`}` : '';
  process.stdout.write(`\n${summary}\n\n${scale}\n\n${reference}\n\nbench: ${results.seconds} s; results in ${path.relative(process.cwd(), options.out) || options.out}\n`);
}

await main();
