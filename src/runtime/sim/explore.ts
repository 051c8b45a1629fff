/**
 * Exploration: many sim runs of one scenario under one profile, each under a
 * fresh schedule from a strategy (random, PCT or bounded DFS), until a finding
 * (or every finding with `all`), the schedule budget, the time limit, or — for
 * DFS — the end of the bounded search. Every finding is replayed twice from its
 * recorded schedule before it is reported; a different event hash is reported
 * as non-determinism, not as a finding.
 */
import type { Profile } from '../../messages/profile.js';
import type { Finding } from '../../messages/result.js';
import type { CrashSignal, ScenarioRun } from '../../messages/scenario.js';
import { deriveSeed } from '../random.js';
import { hashEvents } from './eventHash.js';
import type { FindingSignature, Schedule } from './scheduleFile.js';
import { SimRuntime, type SimRunResult } from './simRuntime.js';
import { DfsExplorer, type DfsRun, type DfsSplit } from './strategies/dfs.js';
import { FaultStrategy } from './strategies/faults.js';
import { PctStrategy, pctBound } from './strategies/pct.js';
import { RandomStrategy } from './strategies/random.js';
import { ReplayStrategy, type Divergence } from './strategies/replay.js';
import type { Strategy } from './strategies/strategy.js';

export type StrategyName = 'random' | 'pct' | 'dfs';
export const STRATEGIES: readonly StrategyName[] = ['random', 'pct', 'dfs'];

export interface ExploreOptions {
  readonly scenario: ScenarioRun;
  readonly profile: Profile;
  readonly seed: number;
  readonly strategy: StrategyName;
  /** PCT bug depth d (default 3). */
  readonly depth?: number;
  /** DFS preemption bound b (default 1); Infinity: every interleaving (a complete model check). */
  readonly preemptions?: number;
  /**
   * DFS partial-order reduction: `prune` stops a run where it became equivalent
   * to a schedule explored before (dfs.ts), `count` only counts distinct
   * traces, `off` (the default) records nothing.
   */
  readonly reduction?: ReductionMode;
  readonly maxSchedules?: number;
  readonly timeLimitMs?: number;
  /** Keep going after the first finding, collecting distinct ones. */
  readonly all?: boolean;
  readonly maxSteps?: number;
  /**
   * Faults as scheduling choices: crash the chosen actor's process with one of
   * these signals at up to `maxCrashes` crash points per schedule (default 1).
   * A client's error from its own dead worker is then the crash's consequence,
   * not a finding: client-error findings are not reported.
   */
  readonly faults?: readonly CrashSignal[];
  readonly maxCrashes?: number;
  /** With faults: whether a deadlock is the scenario's scaffolding (its barriers wait for a dead party's step: actors/hooksUnmet.ts); it then is no finding. */
  readonly scaffolding?: (f: Finding) => string | null;
  /** Wall clock (ms) for the time limit and figures; the runs themselves never see it. */
  readonly clock?: () => number;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Stops between schedules (an interrupt): the report holds the findings so far, stopped by 'interrupted'. */
  readonly signal?: { readonly aborted: boolean };
  /** DFS: search one share of the tree (a thread of a parallel search: parallelExplore.ts). */
  readonly split?: DfsSplit;
  /** Random or PCT: run only schedules index, index + of, index + 2·of, … of the sequential search (a thread of a parallel search). */
  readonly stride?: { readonly of: number; readonly index: number };
  /** DFS with a reduction: the states remembered at most (StateTable's default otherwise). */
  readonly maxStates?: number;
  /** DFS with a reduction: given the distinct traces' keys when the search ends. */
  readonly traceKeys?: (keys: ReadonlySet<string>) => void;
}

export interface ExploreProgress {
  readonly schedules: number;
  readonly elapsedMs: number;
  readonly findings: number;
  /** PCT: the guaranteed probability of having hit a given depth-d bug so far. */
  readonly pctBound?: number;
}

export interface ExploreFinding {
  readonly signature: FindingSignature;
  /** The finding as the run reported it (actor, pid, causal chain). */
  readonly finding: Finding;
  /** 1-based number of the schedule that found it. */
  readonly scheduleNumber: number;
  readonly schedule: Schedule;
  readonly replayHashes: readonly string[];
  /** Both replays gave the original event hash. */
  readonly deterministic: boolean;
  readonly divergence: Divergence | null;
}

export type ReductionMode = 'prune' | 'count' | 'off';

/** What the reduction did (DFS with reduction 'prune' or 'count'). */
export interface ReductionReport {
  readonly mode: Exclude<ReductionMode, 'off'>;
  /** Distinct Mazurkiewicz traces among the schedules run to their end. */
  readonly traces: number;
  /** Runs stopped where their prefix was equivalent to one explored before (their branches pruned). */
  readonly pruned: number;
  /** Decisions taken by the pruned runs before they stopped (included in `decisions`). */
  readonly prunedDecisions: number;
  /** Choice points remembered. */
  readonly states: number;
  /** The table of states reached its bound (StateTable): later ones were not remembered, so fewer runs were pruned. */
  readonly statesFull: boolean;
}

export type StopReason = 'finding' | 'exhausted' | 'max-schedules' | 'time-limit' | 'nondeterminism' | 'interrupted';

export interface ExploreReport {
  readonly strategy: StrategyName;
  readonly depth: number;
  readonly preemptionBound: number;
  readonly seed: number;
  readonly schedules: number;
  readonly decisions: number;
  readonly elapsedMs: number;
  readonly stoppedBy: StopReason;
  readonly findings: readonly ExploreFinding[];
  readonly pct: { readonly actors: number; readonly steps: number; readonly bound: number } | null;
  /** The faults schedules could inject (empty: none) and the bound per schedule. */
  readonly faults: { readonly signals: readonly CrashSignal[]; readonly maxCrashes: number };
  /** DFS with a reduction: traces and pruned branches; else null. */
  readonly reduction: ReductionReport | null;
  /** A share of a parallel search (ExploreOptions.split): which, and the runs it left to the other shares. */
  readonly share?: { readonly index: number; readonly of: number; readonly cutDepth: number; readonly skippedRuns: number };
  /** A parallel search (parallelExplore.ts): its threads, where a DFS tree was cut (null: random or PCT), and each share's schedules. */
  readonly parallel?: { readonly jobs: number; readonly cutDepth: number | null; readonly schedulesPerShare: readonly number[]; readonly skippedRuns: number };
}

export const signatureOf = (f: { kind: string; message: string }): string => `${f.kind}\u0000${f.message}`;

/** Runs schedules until the stop condition; never rejects for a Nix failure. */
export async function explore(o: ExploreOptions): Promise<ExploreReport> {
  const clock = o.clock ?? (() => performance.now());
  const depth = o.depth ?? 3;
  const bound = o.preemptions ?? 1;
  const maxSchedules = o.maxSchedules ?? 10_000;
  const timeLimitMs = o.timeLimitMs ?? 60_000;
  const rt = new SimRuntime({ record: true, hash: false, ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}) });
  const faults = o.faults && o.faults.length > 0 ? { signals: o.faults, maxCrashes: o.maxCrashes ?? 1 } : null;
  const mode = o.strategy === 'dfs' ? (o.reduction ?? 'off') : 'off';
  const dfs = o.strategy === 'dfs' ? new DfsExplorer(bound, faults, mode === 'off' ? null : { prune: mode === 'prune', ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}) }, o.split ?? null) : null;
  let prunedDecisions = 0;
  // With faults, a client failing on its dead worker's EOF is what a crash does: not what explore looks for.
  const counts = (f: Finding): boolean => faults === null || (f.kind !== 'client-error' && !(f.kind === 'deadlock' && o.scaffolding?.(f)));
  const start = clock();
  const seen = new Set<string>();
  const findings: ExploreFinding[] = [];
  let schedules = 0;
  let decisions = 0;
  let maxActors = 1;
  let maxDecisions = 0;
  let lastProgress = start;
  let stoppedBy: StopReason = 'max-schedules';
  const bound0 = (): number => pctBound(schedules, maxActors, maxDecisions, depth);

  for (;;) {
    if (o.signal?.aborted) {
      stoppedBy = 'interrupted';
      break;
    }
    if (schedules >= maxSchedules) break;
    if (clock() - start >= timeLimitMs) {
      stoppedBy = 'time-limit';
      break;
    }
    const runSeed = o.strategy === 'dfs' ? o.seed : deriveSeed(o.seed, `schedule#${o.stride ? schedules * o.stride.of + o.stride.index : schedules}`);
    let strategy: Strategy;
    if (dfs) {
      const next = dfs.nextRun();
      if (!next) {
        stoppedBy = 'exhausted';
        break;
      }
      strategy = next;
    } else if (o.strategy === 'pct') strategy = new PctStrategy(runSeed, depth, maxDecisions || 500);
    else strategy = new RandomStrategy(runSeed);
    if (faults && !dfs) strategy = new FaultStrategy(strategy, runSeed, { ...faults, steps: maxDecisions || 500 });
    const r = await rt.runOrPrune(o.scenario, o.profile, runSeed, strategy);
    if (dfs && ((strategy as DfsRun).skipped || (r && !(strategy as DfsRun).ours))) {
      // Another share's part of a parallel search: walked to the cut (or, above it, run by share 0), not counted here.
      dfs.endRun(strategy as DfsRun);
      continue;
    }
    if (!r) {
      // Pruned: the rest of this run is equivalent to a schedule already explored.
      const taken = (strategy as DfsRun).recorder?.stepCount ?? 0;
      decisions += taken;
      prunedDecisions += taken;
      dfs!.endRun(strategy as DfsRun);
      continue;
    }
    schedules++;
    decisions += r.sim.decisions;
    maxDecisions = Math.max(maxDecisions, r.sim.decisions);
    maxActors = Math.max(maxActors, new Set(r.sim.schedule.map((d) => d.actor)).size);
    if (dfs) dfs.endRun(strategy as DfsRun);
    const fresh = r.findings.filter((f) => counts(f) && !seen.has(signatureOf(f)));
    if (fresh.length > 0) {
      const f = await confirm(rt, o, r, runSeed, schedules, faults ? fresh[0]! : r.findings[0]!, faults ? `${o.strategy}+faults` : o.strategy);
      for (const x of fresh) seen.add(signatureOf(x));
      findings.push(f);
      if (!f.deterministic) {
        stoppedBy = 'nondeterminism';
        break;
      }
      if (!o.all) {
        stoppedBy = 'finding';
        break;
      }
    }
    if (o.onProgress && clock() - lastProgress >= 200) {
      lastProgress = clock();
      o.onProgress({ schedules, elapsedMs: lastProgress - start, findings: seen.size, ...(o.strategy === 'pct' ? { pctBound: bound0() } : {}) });
    }
  }
  if (dfs) o.traceKeys?.(dfs.traceKeys);
  if (dfs?.exhausted) stoppedBy = stoppedBy === 'finding' || stoppedBy === 'nondeterminism' || stoppedBy === 'interrupted' ? stoppedBy : 'exhausted';
  return {
    strategy: o.strategy,
    depth,
    preemptionBound: bound,
    seed: o.seed,
    schedules,
    decisions,
    elapsedMs: clock() - start,
    stoppedBy,
    findings,
    pct: o.strategy === 'pct' ? { actors: maxActors, steps: maxDecisions, bound: bound0() } : null,
    faults: faults ?? { signals: [], maxCrashes: 0 },
    reduction: dfs && mode !== 'off' ? { mode, traces: dfs.traces ?? 0, pruned: dfs.prunedRuns, prunedDecisions, states: dfs.states, statesFull: dfs.statesFull } : null,
    ...(dfs && o.split ? { share: { index: o.split.index, of: o.split.of, cutDepth: o.split.depth, skippedRuns: dfs.skippedRuns } } : {}),
  };
}

/** Replays a finding's schedule twice; the hashes must match the original run's. */
async function confirm(rt: SimRuntime, o: ExploreOptions, r: SimRunResult, runSeed: number, number: number, finding: Finding, strategyName: string): Promise<ExploreFinding> {
  const eventHash = hashEvents(r.recorded ?? []);
  const replayHashes: string[] = [];
  let divergence: Divergence | null = null;
  for (let i = 0; i < 2; i++) {
    const replay = new ReplayStrategy(r.sim.schedule);
    const again = await rt.run(o.scenario, o.profile, runSeed, replay);
    replayHashes.push(hashEvents(again.recorded ?? []));
    divergence ??= replay.divergence;
  }
  const signature = { kind: finding.kind, message: finding.message };
  return {
    signature,
    finding,
    scheduleNumber: number,
    schedule: { scenario: o.scenario, profile: o.profile, seed: runSeed, strategy: strategyName, finding: signature, eventHash, preemptions: r.sim.preemptions, contextSwitches: r.sim.contextSwitches, processSwitches: r.sim.processSwitches, decisions: r.sim.schedule },
    replayHashes,
    deterministic: replayHashes.every((h) => h === eventHash),
    divergence,
  };
}
