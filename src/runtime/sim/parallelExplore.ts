/**
 * A parallel search (explore --jobs J). Random and PCT: thread i runs the
 * sequential search's schedules i, i + J, i + 2J, … (each schedule's seed is
 * derived from its number), so J threads of N schedules each run the first
 * J·N schedules of one thread. DFS: J threads each search one share of the
 * tree, cut at choice point `cutDepth` (strategies/dfs.ts DfsSplit), and the
 * reports are merged. The shares together are the sequential search: a
 * finding of one is a finding of the search, and the search is exhausted when
 * every share is. Each share keeps its own table of states (of 1/J of the
 * bound), so a trace reached in two shares is run in both; the report counts
 * distinct traces over all of them.
 *
 * Numbering: share i's k-th schedule is schedule (k − 1)·J + i + 1 of the
 * search. Without `all`, the first share to find something stops the others
 * between two of their schedules, and its finding is the one reported.
 */
import { Worker } from 'node:worker_threads';
import type { ExploreShareData, ExploreShareMessage } from '../entries/exploreShare.worker.js';
import { signatureOf, type ExploreFinding, type ExploreOptions, type ExploreReport, type StopReason } from './explore.js';
import { DEFAULT_MAX_STATES } from './stateTable.js';
import { pctBound } from './strategies/pct.js';

/** Choice points above the cut (measured on pr-15158, #14: deep enough for many nodes, shallow enough that walking to one is cheap). */
export const DEFAULT_CUT_DEPTH = 10;

const CLAIMS = 1 << 22;

export interface ParallelExploreOptions extends ExploreOptions {
  readonly jobs: number;
  readonly cutDepth?: number;
}

export async function exploreParallel(o: ParallelExploreOptions): Promise<ExploreReport> {
  const clock = o.clock ?? (() => performance.now());
  const start = clock();
  const jobs = o.jobs;
  const cutDepth = o.cutDepth ?? DEFAULT_CUT_DEPTH;
  const stop = new SharedArrayBuffer(4);
  // Who took each node at the cut (first come): 4 M nodes, 16 MB; past them, nodes are dealt by hash.
  const claims = new SharedArrayBuffer(4 * CLAIMS);
  const stopWord = new Int32Array(stop);
  const halt = (): void => {
    Atomics.store(stopWord, 0, 1);
  };
  // What a search thread is given: the data options (functions stay here; jobs and the cut are the share's).
  const { scaffolding, clock: _clock, onProgress, signal, traceKeys: _keys, jobs: _jobs, cutDepth: _cut, ...data } = o;
  const maxSchedules = o.maxSchedules ?? 10_000;
  const perShareStates = Math.max(1024, Math.floor((o.maxStates ?? DEFAULT_MAX_STATES) / jobs));
  const progress = new Array<number>(jobs).fill(0);
  const found = new Array<number>(jobs).fill(0);
  let lastProgress = start;
  // The interrupt is polled: a share stops between two of its schedules either way.
  const poll = setInterval(() => {
    if (signal?.aborted) halt();
  }, 50);
  const shares = Array.from({ length: jobs }, (_, index) => {
    const d: ExploreShareData = {
      options: {
        ...data,
        // Random and PCT: exactly the one-thread search's first N schedules (thread i: i, i + J, … below N).
        maxSchedules: o.strategy === 'dfs' ? Math.ceil(maxSchedules / jobs) : Math.max(0, Math.floor((maxSchedules - 1 - index) / jobs) + 1),
        ...(o.strategy === 'dfs' ? { maxStates: perShareStates, split: { of: jobs, index, depth: cutDepth, claims: new Int32Array(claims) } } : { stride: { of: jobs, index } }),
      },
      scaffolding: scaffolding !== undefined,
      stop,
    };
    const w = new Worker(new URL('../entries/exploreShare.worker.js', import.meta.url), { workerData: d });
    return new Promise<{ index: number; report: ExploreReport; traceKeys: readonly string[]; at: number }>((resolve, reject) => {
      let done: { report: ExploreReport; traceKeys: readonly string[] } | null = null;
      w.on('message', (m: ExploreShareMessage) => {
        if (m.type === 'progress') {
          progress[index] = m.schedules;
          found[index] = m.findings;
          if (onProgress && clock() - lastProgress >= 200) {
            lastProgress = clock();
            onProgress({ schedules: progress.reduce((a, b) => a + b, 0), elapsedMs: lastProgress - start, findings: found.reduce((a, b) => a + b, 0) });
          }
          return;
        }
        done = m;
        progress[index] = m.report.schedules;
        // Without `all` the search ends at its first finding: the other shares stop.
        if (!o.all && m.report.findings.length > 0) halt();
      });
      w.once('error', reject);
      w.once('exit', (code) => (done ? resolve({ index, ...done, at: clock() }) : reject(new Error(`explore: search thread ${index} exited (code ${code}) without a report`))));
    });
  });
  let results: Awaited<(typeof shares)[number]>[];
  try {
    results = await Promise.all(shares);
  } finally {
    clearInterval(poll);
    halt();
  }
  return merge(o, results, jobs, o.strategy === 'dfs' ? cutDepth : null, clock() - start, signal?.aborted ?? false);
}

function merge(o: ParallelExploreOptions, results: readonly { index: number; report: ExploreReport; traceKeys: readonly string[]; at: number }[], jobs: number, cutDepth: number | null, elapsedMs: number, interrupted: boolean): ExploreReport {
  const renumber = (f: ExploreFinding, index: number): ExploreFinding => ({ ...f, scheduleNumber: (f.scheduleNumber - 1) * jobs + index + 1 });
  let findings: ExploreFinding[];
  if (o.all) {
    // Each distinct finding at its first schedule over all threads: for random and PCT, the one a single thread reports.
    const seen = new Set<string>();
    findings = [];
    for (const f of results.flatMap((r) => r.report.findings.map((x) => renumber(x, r.index))).sort((a, b) => a.scheduleNumber - b.scheduleNumber)) {
      const s = signatureOf(f.signature);
      if (seen.has(s)) continue;
      seen.add(s);
      findings.push(f);
    }
  } else {
    // The first share to report a finding is the search's first.
    const first = results.filter((r) => r.report.findings.length > 0).sort((a, b) => a.at - b.at)[0];
    findings = first ? [renumber(first.report.findings[0]!, first.index)] : [];
  }
  const reasons = results.map((r) => r.report.stoppedBy);
  let stoppedBy: StopReason;
  if (reasons.includes('nondeterminism')) stoppedBy = 'nondeterminism';
  else if (!o.all && findings.length > 0) stoppedBy = 'finding';
  else if (interrupted || reasons.includes('interrupted')) stoppedBy = 'interrupted';
  else if (reasons.every((r) => r === 'exhausted')) stoppedBy = 'exhausted';
  else if (reasons.includes('time-limit')) stoppedBy = 'time-limit';
  else stoppedBy = 'max-schedules';
  const sum = (f: (r: ExploreReport) => number): number => results.reduce((a, r) => a + f(r.report), 0);
  const red = results.map((r) => r.report.reduction);
  const first = results[0]!.report;
  const traces = new Set<string>();
  for (const r of results) for (const k of r.traceKeys) traces.add(k);
  const schedules = sum((r) => r.schedules);
  const pcts = results.map((r) => r.report.pct).filter((p) => p !== null);
  const actors = Math.max(1, ...pcts.map((p) => p.actors));
  const steps = Math.max(1, ...pcts.map((p) => p.steps));
  return {
    strategy: o.strategy,
    depth: first.depth,
    preemptionBound: first.preemptionBound,
    seed: first.seed,
    schedules,
    decisions: sum((r) => r.decisions),
    elapsedMs,
    stoppedBy,
    findings,
    // The maxima over the threads: the per-schedule guarantee uses the largest n and k seen, so it stays a lower bound.
    pct: o.strategy === 'pct' ? { actors, steps, bound: pctBound(schedules, actors, steps, first.depth) } : null,
    faults: first.faults,
    reduction: red.every((r) => r !== null)
      ? { mode: red[0]!.mode, traces: traces.size, pruned: sum((r) => r.reduction!.pruned), prunedDecisions: sum((r) => r.reduction!.prunedDecisions), states: sum((r) => r.reduction!.states), statesFull: red.some((r) => r.statesFull) }
      : null,
    parallel: { jobs, cutDepth, schedulesPerShare: results.map((r) => r.report.schedules), skippedRuns: sum((r) => r.share?.skippedRuns ?? 0) },
  };
}
