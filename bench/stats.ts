/**
 * Timing helpers: medians of repeated runs after warm-up, interleaved so that a noisy
 * neighbour on the shared machine hits the measured path and its baseline alike.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds a (possibly async) call takes. */
export async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

export interface PairedTimes {
  /** Median of the measured path and of its baseline, in milliseconds. */
  measured: number;
  baseline: number;
  /** measured / baseline. */
  ratio: number;
  /** Medians of further paths measured in the same loop (e.g. the store without the gate). */
  others: Record<string, number>;
  runs: number;
}

/**
 * Runs `measured(i)`, `baseline(i)` and any `others` in turn, `warmup` times unrecorded
 * and then `runs` times recorded (the order rotates every run, so drift on the machine
 * hits each path alike), and compares the medians. `deadlineMs` stops recording early (at
 * least 5 runs) so a slow size cannot run away.
 */
export async function paired(options: {
  warmup: number;
  runs: number;
  deadlineMs?: number;
  measured: (i: number) => unknown;
  baseline: (i: number) => unknown;
  others?: Record<string, (i: number) => unknown>;
}): Promise<PairedTimes> {
  const paths: [string, (i: number) => unknown][] = [['measured', options.measured], ['baseline', options.baseline], ...Object.entries(options.others ?? {})];
  for (let i = 0; i < options.warmup; i++) for (const [, run] of paths) await run(i);
  const times = new Map<string, number[]>(paths.map(([name]) => [name, []]));
  const stopAt = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.deadlineMs;
  let runs = 0;
  for (let i = 0; i < options.runs; i++) {
    for (let k = 0; k < paths.length; k++) {
      const [name, run] = paths[(i + k) % paths.length]!;
      times.get(name)!.push((await timed(() => run(i))).ms);
    }
    runs++;
    if (runs >= 5 && performance.now() > stopAt) break;
  }
  const measured = median(times.get('measured')!);
  const baseline = median(times.get('baseline')!);
  const others = Object.fromEntries(Object.keys(options.others ?? {}).map((name) => [name, median(times.get(name)!)]));
  return { measured, baseline, ratio: measured / baseline, others, runs };
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
