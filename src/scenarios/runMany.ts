/** Runs a scenario N times under each profile on the threads (or sim) runtime and summarises. */
import type { Profile } from '../messages/profile.js';
import type { Finding, RunResult } from '../messages/result.js';
import type { ScenarioRun } from '../messages/scenario.js';
import { SimRuntime, ThreadsRuntime, deriveSeed, type ThreadsRuntimeOptions } from '../runtime/index.js';

export interface ProfileSummary {
  readonly profile: string;
  readonly runs: number;
  readonly runsWithFinding: number;
  readonly rate: number;
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
}

/**
 * Host threads a run may use before its actors share them: a thread per actor
 * costs ~13 MB and ~30 ms to start (NODE-NOTES.md), which for the loop
 * scenarios' dozens of short-lived processes dominates (heavy-load with 64
 * evaluators, measured: 175 threads and 2.30 GB peak with no cap, 581 MB with 32).
 */
export const DEFAULT_MAX_THREADS = 32;

export interface RunManyOptions extends ThreadsRuntimeOptions {
  /** Which runtime hosts the actors: real worker threads (default) or the deterministic simulator. */
  readonly runtime?: 'threads' | 'sim';
  /** The sim runtime's step budget per run (decisions). */
  readonly maxSteps?: number;
  /**
   * Called as each run ends, before the next starts (to write its recording
   * while it is at hand). The summaries then keep the result without `recorded`.
   */
  readonly onRun?: (r: RunResult, at: { readonly profile: string; readonly index: number; readonly seed: number }) => void | Promise<void>;
}

export async function runMany(scenario: ScenarioRun, profiles: readonly Profile[], runs: number, seed: number, opts: RunManyOptions = {}): Promise<RunManyResult> {
  const rt: { run(s: ScenarioRun, p: Profile, seed: number): Promise<RunResult>; close(): Promise<void> } =
    opts.runtime === 'sim'
      ? // No event hash: run/check never print or compare it (issue #14: it was ×1.9 of an 8-evaluator run).
        new SimRuntime({ hash: false, ...(opts.record !== undefined ? { record: opts.record } : {}), ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}) })
      : new ThreadsRuntime({ maxThreads: DEFAULT_MAX_THREADS, ...opts });
  try {
    const summaries: ProfileSummary[] = [];
    const findings: (Finding & { seed: number; profile: string })[] = [];
    for (const p of profiles) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        const s = deriveSeed(seed, `${p.name}#${i}`);
        const r = await rt.run(scenario, p, s);
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
      summaries.push({ profile: p.name, runs, runsWithFinding: withFinding, rate: runs ? withFinding / runs : 0, ...iterations, ...modelMs, results });
    }
    return { scenario: scenario.name, seed, profiles: summaries, findings };
  } finally {
    await rt.close();
  }
}
