/**
 * A piscina task thread for sweeps: runs one whole run of a scenario and returns
 * its record. The threads runtime inside keeps its host threads across tasks.
 */
import type { Profile } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { SweepRunRecord } from '../../messages/sweep.js';
import type { RunResult } from '../../messages/result.js';
import type { InspectEvent } from '../../messages/inspect.js';
import { ThreadsRuntime } from '../threads/threadsRuntime.js';
import { SimRuntime } from '../sim/simRuntime.js';

export interface SweepTask {
  readonly scenario: ScenarioRun;
  readonly profile: Profile;
  readonly seed: number;
  readonly point: string;
  readonly run: number;
  readonly runtime: 'threads' | 'sim';
  readonly workers: number | null;
  readonly timeoutMs: number;
  /** Return the run's inspection stream when it has a finding (to save its trace). */
  readonly keepEvents: boolean;
}

export interface SweepTaskResult {
  readonly record: SweepRunRecord;
  readonly events?: readonly InspectEvent[];
}

const runtimes = new Map<string, ThreadsRuntime>();
/** Sim runs are one thread each: `workers` does not apply; the seed alone fixes the run. */
const sim = new SimRuntime({ record: true, hash: false });

async function runOnce(t: SweepTask): Promise<RunResult> {
  if (t.runtime === 'sim') return sim.run(t.scenario, t.profile, t.seed);
  const key = `${t.workers ?? 'unbounded'}:${t.timeoutMs}`;
  let rt = runtimes.get(key);
  if (!rt) {
    rt = new ThreadsRuntime({ timeoutMs: t.timeoutMs, record: true, ...(t.workers !== null ? { maxThreads: t.workers } : {}) });
    runtimes.set(key, rt);
  }
  return rt.run(t.scenario, t.profile, t.seed);
}

export default async function sweepTask(t: SweepTask): Promise<SweepTaskResult> {
  const r = await runOnce(t);
  const first = r.findings.reduce<number | null>((m, f) => (m === null || f.t < m ? f.t : m), null);
  const record: SweepRunRecord = {
    point: t.point,
    run: t.run,
    seed: t.seed,
    finding: r.findings.length > 0,
    kinds: [...new Set(r.findings.map((f) => f.kind))].sort(),
    firstFindingUs: first,
    wallMs: r.wallMs,
    storeOps: r.storeOps,
    ...(r.modelMs !== undefined ? { modelMs: r.modelMs } : {}),
    ...(r.iterations ? { iterations: r.iterations } : {}),
  };
  return record.finding && t.keepEvents && r.recorded ? { record, events: r.recorded } : { record };
}
