/**
 * Runs a sweep: every planned run of every point on a pool of `jobs` threads,
 * then the summaries and recommendation. `workers` is a runtime parameter (how
 * many threads host actors); every other swept name is a scenario parameter.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, arch, platform } from 'node:os';
import type { Profile } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { SweepDocument, SweepRunRecord } from '../../messages/sweep.js';
import type { InspectEvent } from '../../messages/inspect.js';
import { SweepPool, abortReason, unlessAborted } from '../../runtime/index.js';
import { summarise, recommend, loopOf } from './aggregate.js';
import { expandGrid, planRuns, type Axis } from './plan.js';

export interface SweepOptions {
  readonly scenario: string;
  /** Builds the scenario for one point's parameters (all but `workers`, unless the scenario has its own). */
  readonly build: (params: Readonly<Record<string, number>>) => ScenarioRun;
  /** The scenario declares a `workers` parameter (eval-jobs workers): then `workers` is its, not the host-thread cap. */
  readonly scenarioWorkers?: boolean;
  readonly profiles: readonly Profile[];
  readonly axes: readonly Axis[];
  readonly runs: number;
  readonly runtime: 'threads' | 'sim';
  readonly jobs: number;
  readonly rootSeed: number;
  readonly shard?: { readonly i: number; readonly n: number };
  readonly timeoutMs: number;
  readonly version: string;
  /**
   * Saves the trace of a point's first failing run (among its first runs) and
   * returns where; the HTML report links to it.
   */
  readonly saveTrace?: (point: string, record: SweepRunRecord, events: readonly InspectEvent[]) => string;
  /** Called after each run, in completion order. */
  readonly onRun?: (r: SweepRunRecord, done: number, total: number) => void;
  /**
   * Stops the sweep (an interrupt): the pool is destroyed at once (its threads,
   * and the runs' own threads inside them, are terminated) and the document
   * holds the runs that finished, with `interrupted`.
   */
  readonly signal?: AbortSignal;
}

/** SweepDocument.inputs: the points' scenarios (by their parameters) and the profiles, hashed in a fixed order. */
function inputsDigest(scenarios: ReadonlyMap<string, ScenarioRun>, profiles: readonly Profile[]): string {
  const h = createHash('sha256');
  for (const key of [...scenarios.keys()].sort()) h.update(`${key}\n${JSON.stringify(scenarios.get(key))}\n`);
  for (const p of profiles) h.update(`${p.name}\n${JSON.stringify(p.switches)}\n${JSON.stringify(p.daemon ?? null)}\n`);
  return h.digest('hex');
}

/** Only a point's first runs carry their events back: enough to link one failing trace per point. */
const TRACED_RUNS = 3;
/** Sim runs per pool task. */
const SIM_BATCH = 25;

export async function runSweep(o: SweepOptions): Promise<SweepDocument> {
  const points = expandGrid(o.profiles.map((p) => p.name), o.axes);
  const planned = planRuns(points, o.runs, o.rootSeed, o.shard);
  const profiles = new Map(o.profiles.map((p) => [p.name, p]));
  const scenarios = new Map<string, ScenarioRun>();
  const scenarioFor = (params: Readonly<Record<string, number>>): ScenarioRun => {
    const rest = o.scenarioWorkers ? params : Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'workers'));
    const key = JSON.stringify(rest);
    let s = scenarios.get(key);
    if (!s) {
      s = o.build(rest);
      scenarios.set(key, s);
    }
    return s;
  };
  for (const p of points) scenarioFor(p.params); // bad parameters fail before any run starts
  const inputs = inputsDigest(scenarios, o.profiles);
  // Sim runs are light: a second one queued per thread hides piscina's dispatch round trip.
  // Threads runs start threads of their own, so one at a time per pool thread.
  const perThread = o.runtime === 'sim' ? 2 : 1;
  const pool = new SweepPool(o.jobs, perThread);
  const started = performance.now();
  const records: SweepRunRecord[] = [];
  const traced = new Set<string>();
  // Runs go in batches of one point's consecutive runs (#14 item 4): one task and one scenario clone per batch.
  // Sim runs take a millisecond or so, so a batch of 25 is tens of ms (an interrupt loses only unfinished
  // batches); threads runs take their own threads and time, so one each.
  const batchSize = o.runtime === 'sim' ? SIM_BATCH : 1;
  const batches: (typeof planned)[] = [];
  for (const pr of planned) {
    const last = batches.at(-1);
    if (last && last.length < batchSize && last[0]!.point.key === pr.point.key) last.push(pr);
    else batches.push([pr]);
  }
  const runBatch = async (batch: typeof planned): Promise<void> => {
    const point = batch[0]!.point;
    const done = await pool.run({
      scenario: scenarioFor(point.params),
      profile: profiles.get(point.profile)!,
      point: point.key,
      runtime: o.runtime,
      workers: o.scenarioWorkers ? null : (point.params['workers'] ?? null),
      timeoutMs: o.timeoutMs,
      runs: batch.map((pr) => ({ run: pr.run, seed: pr.seed, keepEvents: o.saveTrace !== undefined && pr.run < TRACED_RUNS })),
    }).catch((e: unknown) => {
      // Destroying the pool at an interrupt rejects the runs it had not finished: they are not results.
      if (o.signal?.aborted) return null;
      throw e;
    });
    if (done === null || o.signal?.aborted) return;
    for (const { record, events } of done) {
      let rec = record;
      if (events && o.saveTrace && !traced.has(point.key)) {
        traced.add(point.key);
        rec = { ...record, trace: o.saveTrace(point.key, record, events) };
      }
      records.push(rec);
      o.onRun?.(rec, records.length, planned.length);
    }
  };
  // A few batches queued per pool thread, not the whole plan: a million-run sweep does not hold a
  // million tasks, and an interrupt has only these to cancel (destroying a pool with 200,000
  // queued tasks took 2.4 s, measured).
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length && !o.signal?.aborted) await runBatch(batches[next++]!);
  };
  try {
    const lanes = Promise.all(Array.from({ length: Math.min(batches.length, o.jobs * perThread * 2) }, lane));
    await unlessAborted(lanes, o.signal);
  } finally {
    await pool.close();
  }
  records.sort((a, b) => (a.point === b.point ? a.run - b.run : points.findIndex((p) => p.key === a.point) - points.findIndex((p) => p.key === b.point)));
  const summaries = summarise(points, records);
  const cores = availableParallelism();
  return {
    schemaVersion: 1,
    tool: { name: 'rootrace', version: o.version },
    platform: { node: process.version, os: platform(), arch: arch(), cores },
    scenario: o.scenario,
    runtime: o.runtime,
    rootSeed: o.rootSeed,
    runsPerPoint: o.runs,
    axes: [{ name: 'profile', values: o.profiles.map((p) => p.name) }, ...o.axes],
    ...(o.shard ? { shard: `${o.shard.i}/${o.shard.n}` } : {}),
    inputs,
    ...(o.signal?.aborted ? { interrupted: { signal: abortReason(o.signal), runsPlanned: planned.length } } : {}),
    wallMs: performance.now() - started,
    points: summaries,
    runs: records,
    recommendation: recommend(summaries, cores, !o.scenarioWorkers),
    ...loopOf(summaries),
  };
}
