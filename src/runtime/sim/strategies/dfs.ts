/**
 * Bounded depth-first search (CHESS-style preemption bounding): every schedule
 * with at most `bound` preemptions, each exactly once. Stateless: each run
 * replays a prefix of choices from the start, then continues non-preemptively;
 * afterwards the deepest choice point with an untried option within the bound
 * becomes the next prefix. Switching away from a blocked or finished actor is
 * free; switching away from one that could continue costs one preemption.
 * With faults (explore --faults), crashing the chosen task's process at a
 * crash point is one more option per signal, within a bound of its own.
 */
import type { CrashSignal } from '../../../messages/scenario.js';
import type { Task } from '../task.js';
import { defaultChoice, isPreemption, type Choice, type Strategy } from './strategy.js';

/** Crashes as DFS options: which signals, and at most how many per schedule. */
export interface DfsFaults {
  readonly signals: readonly CrashSignal[];
  readonly maxCrashes: number;
}

interface Frame {
  /** Options at this choice point, in DFS order (index 0 = the non-preemptive default): task index, and the crash if any. */
  readonly options: readonly { readonly task: number; readonly fault: CrashSignal | null }[];
  readonly costs: Uint8Array;
  readonly chosen: number;
  /** Preemptions spent before this choice point. */
  readonly spent: number;
  /** Crashes spent before this choice point. */
  readonly crashes: number;
}

export class NondeterminismError extends Error {
  override readonly name = 'NondeterminismError';
}

export class DfsRun implements Strategy {
  readonly name: string;
  readonly frames: Frame[] = [];
  private spent = 0;
  private crashes = 0;
  private taken: CrashSignal | null = null;

  constructor(
    private readonly prefix: readonly { chosen: number; options: number }[],
    private readonly faults: DfsFaults | null = null,
  ) {
    this.name = faults ? 'dfs+faults' : 'dfs';
  }

  choose(c: Choice): number {
    this.taken = null;
    const order = c.tasks.length === 1 ? [0] : ((first) => [first, ...c.tasks.map((_, i) => i).filter((i) => i !== first)])(defaultChoice(c));
    const options: { task: number; fault: CrashSignal | null }[] = order.map((task) => ({ task, fault: null }));
    const f = this.faults;
    if (f && this.crashes < f.maxCrashes) {
      for (const task of order) if (c.tasks[task]!.crashPoint) for (const fault of f.signals) options.push({ task, fault });
    }
    if (options.length === 1) return 0;
    const costs = Uint8Array.from(options, (o) => (isPreemption(c, c.tasks[o.task]!) ? 1 : 0));
    const k = this.frames.length;
    const p = this.prefix[k];
    if (p && p.options !== options.length) {
      throw new NondeterminismError(`DFS replay of choice point ${k} (decision ${c.step}) saw ${options.length} options, not ${p.options}: the run is not deterministic`);
    }
    const chosen = p ? p.chosen : 0;
    this.frames.push({ options, costs, chosen, spent: this.spent, crashes: this.crashes });
    this.spent += costs[chosen]!;
    const o = options[chosen]!;
    if (o.fault) this.crashes++;
    this.taken = o.fault;
    return o.task;
  }

  fault(_c: Choice, chosen: Task): CrashSignal | null {
    return chosen.crashPoint ? this.taken : null;
  }
}

/** Drives the search: one DfsRun per schedule until the tree within the bound is exhausted. */
export class DfsExplorer {
  private prefix: { chosen: number; options: number }[] = [];
  private done = false;

  constructor(
    readonly bound: number,
    private readonly faults: DfsFaults | null = null,
  ) {}

  get exhausted(): boolean {
    return this.done;
  }

  nextRun(): DfsRun | null {
    return this.done ? null : new DfsRun(this.prefix, this.faults);
  }

  /** Backtracks from a finished run to the next unexplored schedule. */
  endRun(run: DfsRun): void {
    const f = run.frames;
    for (let i = f.length - 1; i >= 0; i--) {
      const fr = f[i]!;
      for (let j = fr.chosen + 1; j < fr.options.length; j++) {
        if (fr.spent + fr.costs[j]! > this.bound) continue;
        if (fr.options[j]!.fault && fr.crashes + 1 > (this.faults?.maxCrashes ?? 0)) continue;
        this.prefix = f.slice(0, i).map((x) => ({ chosen: x.chosen, options: x.options.length }));
        this.prefix.push({ chosen: j, options: fr.options.length });
        return;
      }
    }
    this.done = true;
  }
}
