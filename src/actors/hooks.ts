/**
 * Step hooks: a scenario's pause points (messages/scenario.ts StepHook). Both
 * runtimes call `barriersAt` from ctx.step, so a hooked interleaving is the same
 * on real threads and in the simulator.
 */
import type { ScenarioRun, StepHook } from '../messages/scenario.js';

export class StepHooks {
  private readonly hooks: readonly StepHook[];
  private readonly seen = new Map<string, number>();

  /** `owner` is the scenario process the actor belongs to (a worker's or GC thread's client). */
  constructor(scenario: ScenarioRun, owner: string) {
    this.hooks = (scenario.hooks ?? []).filter((h) => h.process === owner);
  }

  /** Barriers to wait on, in order, at this arrival at `label` (usually none). */
  barriersAt(label: string): readonly string[] {
    if (this.hooks.length === 0) return [];
    const n = (this.seen.get(label) ?? 0) + 1;
    this.seen.set(label, n);
    return this.hooks.filter((h) => h.label === label && (h.occurrence ?? 1) === n).flatMap((h) => h.barriers);
  }
}

/** A barrier's parties, by scenario process: each process whose program names it, and each hook that waits on it. */
export function barrierPartyProcesses(scenario: ScenarioRun, name: string): string[] {
  const steps = scenario.processes.filter((p) => p.steps.some((s) => s.op === 'barrier' && s.name === name)).map((p) => p.name);
  const hooks = (scenario.hooks ?? []).filter((h) => h.barriers.includes(name)).map((h) => h.process);
  return [...steps, ...hooks];
}
