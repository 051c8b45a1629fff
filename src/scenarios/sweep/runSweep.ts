/**
 * Runs a sweep: every planned run of every point on a pool of `jobs` threads,
 * then the summaries and recommendation. `workers` is a runtime parameter (how
 * many threads host actors); every other swept name is a scenario parameter.
 */
import { availableParallelism, arch, platform } from 'node:os';
import type { Profile } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { SweepDocument, SweepRunRecord } from '../../messages/sweep.js';
import type { InspectEvent } from '../../messages/inspect.js';
import { SweepPool } from '../../runtime/index.js';
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
}

/** Only a point's first runs carry their events back: enough to link one failing trace per point. */
const TRACED_RUNS = 3;

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
  // Sim runs are light: a second one queued per thread hides piscina's dispatch round trip.
  // Threads runs start threads of their own, so one at a time per pool thread.
  const pool = new SweepPool(o.jobs, o.runtime === 'sim' ? 2 : 1);
  const started = performance.now();
  const records: SweepRunRecord[] = [];
  const traced = new Set<string>();
  try {
    await Promise.all(
      planned.map(async (pr) => {
        const { record, events } = await pool.run({
          scenario: scenarioFor(pr.point.params),
          profile: profiles.get(pr.point.profile)!,
          seed: pr.seed,
          point: pr.point.key,
          run: pr.run,
          runtime: o.runtime,
          workers: o.scenarioWorkers ? null : (pr.point.params['workers'] ?? null),
          timeoutMs: o.timeoutMs,
          keepEvents: o.saveTrace !== undefined && pr.run < TRACED_RUNS,
        });
        let rec = record;
        if (events && o.saveTrace && !traced.has(pr.point.key)) {
          traced.add(pr.point.key);
          rec = { ...record, trace: o.saveTrace(pr.point.key, record, events) };
        }
        records.push(rec);
        o.onRun?.(rec, records.length, planned.length);
      }),
    );
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
    wallMs: performance.now() - started,
    points: summaries,
    runs: records,
    recommendation: recommend(summaries, cores, !o.scenarioWorkers),
    ...loopOf(summaries),
  };
}
