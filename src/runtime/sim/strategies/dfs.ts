/**
 * Bounded depth-first search (CHESS-style preemption bounding): every schedule
 * with at most `bound` preemptions, each exactly once. Stateless: each run
 * replays a prefix of choices from the start, then continues non-preemptively;
 * afterwards the deepest choice point with an untried option within the bound
 * becomes the next prefix. Switching away from a blocked or finished actor is
 * free; switching away from one that could continue costs one preemption.
 */
import { defaultChoice, isPreemption, type Choice, type Strategy } from './strategy.js';

interface Frame {
  /** Options at this choice point, in DFS order (index 0 = the non-preemptive default). */
  readonly options: readonly number[];
  readonly costs: Uint8Array;
  readonly chosen: number;
  /** Preemptions spent before this choice point. */
  readonly spent: number;
}

export class NondeterminismError extends Error {
  override readonly name = 'NondeterminismError';
}

export class DfsRun implements Strategy {
  readonly name = 'dfs';
  readonly frames: Frame[] = [];
  private spent = 0;

  constructor(
    private readonly prefix: readonly { chosen: number; options: number }[],
  ) {}

  choose(c: Choice): number {
    if (c.tasks.length === 1) return 0;
    const first = defaultChoice(c);
    const options = [first, ...c.tasks.map((_, i) => i).filter((i) => i !== first)];
    const costs = Uint8Array.from(options, (i) => (isPreemption(c, c.tasks[i]!) ? 1 : 0));
    const k = this.frames.length;
    const p = this.prefix[k];
    if (p && p.options !== options.length) {
      throw new NondeterminismError(`DFS replay of choice point ${k} (decision ${c.step}) saw ${options.length} options, not ${p.options}: the run is not deterministic`);
    }
    const chosen = p ? p.chosen : 0;
    this.frames.push({ options, costs, chosen, spent: this.spent });
    this.spent += costs[chosen]!;
    return options[chosen]!;
  }
}

/** Drives the search: one DfsRun per schedule until the tree within the bound is exhausted. */
export class DfsExplorer {
  private prefix: { chosen: number; options: number }[] = [];
  private done = false;

  constructor(readonly bound: number) {}

  get exhausted(): boolean {
    return this.done;
  }

  nextRun(): DfsRun | null {
    return this.done ? null : new DfsRun(this.prefix);
  }

  /** Backtracks from a finished run to the next unexplored schedule. */
  endRun(run: DfsRun): void {
    const f = run.frames;
    for (let i = f.length - 1; i >= 0; i--) {
      const fr = f[i]!;
      for (let j = fr.chosen + 1; j < fr.options.length; j++) {
        if (fr.spent + fr.costs[j]! > this.bound) continue;
        this.prefix = f.slice(0, i).map((x) => ({ chosen: x.chosen, options: x.options.length }));
        this.prefix.push({ chosen: j, options: fr.options.length });
        return;
      }
    }
    this.done = true;
  }
}
