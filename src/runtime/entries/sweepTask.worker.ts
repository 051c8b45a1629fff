/**
 * A piscina task thread for sweeps: runs a batch of one point's runs and
 * returns their records (#14 item 4: one task, and one structured clone of the
 * scenario, per batch rather than per run). The threads runtime inside keeps
 * its host threads across tasks.
 */
import type { Profile } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { SweepRunRecord } from '../../messages/sweep.js';
import type { RunResult } from '../../messages/result.js';
import type { InspectEvent } from '../../messages/inspect.js';
import { ThreadsRuntime } from '../threads/threadsRuntime.js';
import { SimRuntime } from '../sim/simRuntime.js';

/** One run of a batch: its index in the point, its seed, and whether a failing one returns its events (to save a trace). */
export interface SweepTaskRun {
  readonly run: number;
  readonly seed: number;
  readonly keepEvents: boolean;
}

export interface SweepTask {
  readonly scenario: ScenarioRun;
  readonly profile: Profile;
  readonly point: string;
  readonly runtime: 'threads' | 'sim';
  readonly workers: number | null;
  readonly timeoutMs: number;
  /** The point's runs this task does, in order. */
  readonly runs: readonly SweepTaskRun[];
}

export interface SweepRunResult {
  readonly record: SweepRunRecord;
  readonly events?: readonly InspectEvent[];
}

/** The batch's results, in its runs' order. */
export type SweepTaskResult = readonly SweepRunResult[];

const runtimes = new Map<string, ThreadsRuntime>();
/** Sim runs are one thread each: `workers` does not apply; the seed alone fixes the run. */
const sim = new SimRuntime({ record: true, hash: false });

async function runOnce(t: SweepTask, seed: number): Promise<RunResult> {
  if (t.runtime === 'sim') return sim.run(t.scenario, t.profile, seed);
  const key = `${t.workers ?? 'unbounded'}:${t.timeoutMs}`;
  let rt = runtimes.get(key);
  if (!rt) {
    rt = new ThreadsRuntime({ timeoutMs: t.timeoutMs, record: true, ...(t.workers !== null ? { maxThreads: t.workers } : {}) });
    runtimes.set(key, rt);
  }
  return rt.run(t.scenario, t.profile, seed);
}

async function runOne(t: SweepTask, one: SweepTaskRun): Promise<SweepRunResult> {
  const r = await runOnce(t, one.seed);
  const first = r.findings.reduce<number | null>((m, f) => (m === null || f.t < m ? f.t : m), null);
  const record: SweepRunRecord = {
    point: t.point,
    run: one.run,
    seed: one.seed,
    finding: r.findings.length > 0,
    kinds: [...new Set(r.findings.map((f) => f.kind))].sort(),
    firstFindingUs: first,
    wallMs: r.wallMs,
    storeOps: r.storeOps,
    ...(r.modelMs !== undefined ? { modelMs: r.modelMs } : {}),
    ...(r.iterations ? { iterations: r.iterations } : {}),
  };
  return record.finding && one.keepEvents && r.recorded ? { record, events: r.recorded } : { record };
}

export default async function sweepTask(t: SweepTask): Promise<SweepTaskResult> {
  const out: SweepRunResult[] = [];
  for (const one of t.runs) out.push(await runOne(t, one));
  return out;
}
