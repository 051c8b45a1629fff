/**
 * The sim runtime (DESIGN.md §1): the same actors as the threads runtime, in
 * one thread, under a strategy that takes every scheduling decision. A run is
 * a pure function of (scenario, profile, seed, strategy): same inputs, same
 * event stream, same `eventHash`.
 */
import type { Profile } from '../../messages/profile.js';
import type { RunResult } from '../../messages/result.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import { StepCensus } from '../../actors/crashes.js';
import { hashEvents } from './eventHash.js';
import { SimRun } from './simRun.js';
import { RandomStrategy } from './strategies/random.js';
import type { Strategy } from './strategies/strategy.js';
import type { Decision } from './task.js';

export interface SimRuntimeOptions {
  /** Decisions after which a run is stopped and reported as a liveness finding (livelock). */
  readonly maxSteps?: number;
  /** Keep the event stream on the result (`recorded`). */
  readonly record?: boolean;
  /** Compute `sim.eventHash` (sha256 of the event stream); default true. */
  readonly hash?: boolean;
  /** Record every arrival at a step (`sim.census`): the crash points the run reaches. */
  readonly census?: boolean;
}

export interface SimRunInfo {
  readonly strategy: string;
  /** sha256 of the canonical event stream ('' when not computed). */
  readonly eventHash: string;
  readonly decisions: number;
  /** Decisions that switched away from an actor that could have continued. */
  readonly preemptions: number;
  /** Decisions that resumed a different actor than the previous one (forced or not). */
  readonly contextSwitches: number;
  /** Decisions that resumed an actor of a different scenario process (a client with its workers and GC threads). */
  readonly processSwitches: number;
  readonly schedule: readonly Decision[];
  /** Indices into `schedule` of the preemptions. */
  readonly preemptedAt: readonly number[];
  readonly virtualUs: number;
  /** Times the kernel needed a macrotask turn to settle (a performance figure). */
  readonly settleFallbacks: number;
  /** Every arrival at a ctx.step, in order (with `census`): the run's crash points. */
  readonly census?: StepCensus['arrivals'];
  /** Flocks still held when the last process had ended: always empty, unless a death's cleanup missed one. */
  readonly heldAtEnd: readonly string[];
}

export type SimRunResult = RunResult & { readonly sim: SimRunInfo };

export const DEFAULT_MAX_STEPS = 200_000;

export class SimRuntime {
  constructor(private readonly opts: SimRuntimeOptions = {}) {}

  /** Nothing to release: there are no threads. Present so both runtimes close alike. */
  async close(): Promise<void> {}

  /** One run. `strategy` defaults to uniform random from `seed`. Never rejects for a Nix failure. */
  async run(scenario: ScenarioRun, profile: Profile, seed: number, strategy: Strategy = new RandomStrategy(seed)): Promise<SimRunResult> {
    const r = await this.runOrPrune(scenario, profile, seed, strategy);
    if (!r) throw new Error(`strategy ${strategy.name} pruned a run that had to finish`);
    return r;
  }

  /** One run under a reducing strategy, which may stop it (null): the rest was equivalent to a schedule already explored. */
  async runOrPrune(scenario: ScenarioRun, profile: Profile, seed: number, strategy: Strategy): Promise<SimRunResult | null> {
    const census = this.opts.census ? new StepCensus() : null;
    const run = new SimRun(scenario, profile, seed, strategy, this.opts.maxSteps ?? DEFAULT_MAX_STEPS, census);
    const r = await run.start();
    if (!r) return null;
    const k = run.kernel;
    const events = run.coord.events;
    const sim: SimRunInfo = {
      strategy: strategy.name,
      eventHash: this.opts.hash === false ? '' : hashEvents(events),
      decisions: k.steps,
      preemptions: k.preemptions,
      contextSwitches: k.contextSwitches,
      processSwitches: k.processSwitches,
      schedule: k.decisions,
      preemptedAt: k.preemptedAt,
      virtualUs: k.nowUs,
      settleFallbacks: k.fallbacks,
      ...(census ? { census: census.arrivals } : {}),
      heldAtEnd: run.heldAtEnd,
    };
    return { ...r, modelMs: k.nowUs / 1000, ...(this.opts.record ? { recorded: events } : {}), sim };
  }
}
