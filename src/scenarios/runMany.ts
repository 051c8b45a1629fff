/** Runs a scenario N times under each profile on the threads (or sim) runtime and summarises. */
import type { Profile } from '../messages/profile.js';
import type { Finding, RunResult } from '../messages/result.js';
import type { ScenarioRun } from '../messages/scenario.js';
import { SimRuntime, ThreadsRuntime, deriveSeed, unlessAborted, type ThreadsRuntimeOptions } from '../runtime/index.js';
import { wilson } from './sweep/stats.js';

export interface ProfileSummary {
  readonly profile: string;
  /** Runs that finished: fewer than asked for when interrupted. */
  readonly runs: number;
  readonly runsWithFinding: number;
  readonly rate: number;
  /** 95% Wilson score interval of the rate (as a sweep point's). */
  readonly low: number;
  readonly high: number;
  /** By looping process, over every run: iterations run, failed, and the failure rate per iteration (absent without loops). */
  readonly iterations?: Readonly<Record<string, { readonly total: number; readonly failed: number; readonly rate: number }>>;
  /** Mean model time of a run (ms), when the runtime knows it (sim, or threads with a time scale). */
  readonly modelMs?: number;
  readonly results: readonly RunResult[];
}

export interface RunManyResult {
  readonly scenario: string;
  readonly seed: number;
  readonly profiles: readonly ProfileSummary[];
  readonly findings: readonly (Finding & { readonly seed: number; readonly profile: string })[];
  /** The signal aborted the loop: the summaries hold the runs that finished before it. */
  readonly interrupted: boolean;
}

/**
 * Host threads a run may use before its actors share them: a thread per actor
 * costs ~13 MB and ~30 ms to start (NODE-NOTES.md), which for the loop
 * scenarios' dozens of short-lived processes dominates. heavy-load with 64
 * evaluators (~200 actors), peak RSS measured: 175 threads and 2.30 GB with no
 * cap; 734 MB with 32; 467 MB with 16; 349 MB with 8. Eight threads are four
 * per core on the 2-core machines rootrace runs on: real parallelism and OS
 * preemption between actors are kept, and a run stays within a few hundred MB.
 */
export const DEFAULT_MAX_THREADS = 8;

export interface RunManyOptions extends ThreadsRuntimeOptions {
  /** Which runtime hosts the actors: real worker threads (default) or the deterministic simulator. */
  readonly runtime?: 'threads' | 'sim';
  /** The sim runtime's step budget per run (decisions). */
  readonly maxSteps?: number;
  /** `seed` is each run's own seed (`run --run-seed`, a finding's rerun), not the root that run seeds derive from. */
  readonly exactSeed?: boolean;
  /**
   * Called as each run ends, before the next starts (to write its recording
   * while it is at hand). The summaries then keep the result without `recorded`.
   */
  readonly onRun?: (r: RunResult, at: { readonly profile: string; readonly index: number; readonly seed: number }) => void | Promise<void>;
  /**
   * Stops the loop (an interrupt): no run starts after it aborts, and a run in
   * flight is abandoned (its threads terminated by close); the result holds the
   * runs that finished, with `interrupted`.
   */
  readonly signal?: AbortSignal;
  /**
   * A runtime opened by the caller (openRunHost), kept open after the call:
   * `check` runs every scenario on one warm set of host threads (#14 item 4)
   * instead of starting and stopping them per scenario.
   */
  readonly host?: RunHost;
}

/** A runtime that runMany drives: one per call, or one given by the caller for several calls. */
export interface RunHost {
  run(s: ScenarioRun, p: Profile, seed: number): Promise<RunResult>;
  close(): Promise<void>;
}

/** The runtime `opts` asks for (threads by default), for runMany calls to share (`host`). */
export function openRunHost(opts: RunManyOptions = {}): RunHost {
  return opts.runtime === 'sim'
    ? // No event hash: run/check never print or compare it (issue #14: it was ×1.9 of an 8-evaluator run).
      new SimRuntime({ hash: false, ...(opts.record !== undefined ? { record: opts.record } : {}), ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}) })
    : new ThreadsRuntime({ maxThreads: DEFAULT_MAX_THREADS, ...opts });
}

export async function runMany(scenario: ScenarioRun, profiles: readonly Profile[], runs: number, seed: number, opts: RunManyOptions = {}): Promise<RunManyResult> {
  const rt = opts.host ?? openRunHost(opts);
  try {
    const summaries: ProfileSummary[] = [];
    const findings: (Finding & { seed: number; profile: string })[] = [];
    let interrupted = false;
    for (const p of profiles) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs && !interrupted; i++) {
        const s = opts.exactSeed ? seed : deriveSeed(seed, `${p.name}#${i}`);
        const r = await unlessAborted(rt.run(scenario, p, s), opts.signal);
        if (r === null) {
          interrupted = true;
          break;
        }
        if (opts.onRun) {
          await opts.onRun(r, { profile: p.name, index: i, seed: s });
          const { recorded: _recorded, ...kept } = r;
          results.push(kept);
        } else results.push(r);
        for (const f of r.findings) findings.push({ ...f, seed: s, profile: p.name });
      }
      const withFinding = results.filter((r) => r.findings.length > 0).length;
      const byProcess: Record<string, { total: number; failed: number; rate: number }> = {};
      for (const r of results) {
        for (const [proc, c] of Object.entries(r.iterations ?? {})) {
          const acc = (byProcess[proc] ??= { total: 0, failed: 0, rate: 0 });
          acc.total += c.total;
          acc.failed += c.failed;
          acc.rate = acc.failed / acc.total;
        }
      }
      const iterations = Object.keys(byProcess).length > 0 ? { iterations: byProcess } : {};
      const timed = results.filter((r) => r.modelMs !== undefined);
      // Model time means something only under a cost model (without one, sim time is 1 µs per decision).
      const modelMs = scenario.costs && timed.length > 0 ? { modelMs: timed.reduce((a, r) => a + r.modelMs!, 0) / timed.length } : {};
      const n = results.length;
      summaries.push({ profile: p.name, runs: n, runsWithFinding: withFinding, rate: n ? withFinding / n : 0, ...wilson(withFinding, n), ...iterations, ...modelMs, results });
    }
    return { scenario: scenario.name, seed, profiles: summaries, findings, interrupted };
  } finally {
    if (!opts.host) await rt.close();
  }
}
