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
import { FootprintRecorder, TraceKey } from '../footprint.js';
import { StateTable } from '../stateTable.js';
import type { Task } from '../task.js';
import { PRUNE, defaultChoice, preemptions, type Choice, type Strategy } from './strategy.js';

/**
 * Partial-order reduction for the search (README: "Partial-order reduction").
 * `prune`: stop a run at a choice point whose state was already reached by an
 * equivalent prefix (same Mazurkiewicz trace: footprint.ts) with no more
 * preemptions and crashes spent and, under a finite bound, the same last actor
 * and process; from there the bounded search is the same, and was done.
 * Without `prune`, footprints are still recorded to count distinct traces.
 */
export interface DfsReduction {
  readonly prune: boolean;
  /** Bound on the states remembered (StateTable's default otherwise). */
  readonly maxStates?: number;
}

/** The reduction's books, shared by the runs of one search. */
class Visited {
  /** State at a choice point (hashed) → the fewest preemptions spent on reaching it. */
  readonly states: StateTable;
  readonly traces = new Set<string>();

  constructor(maxStates?: number) {
    this.states = new StateTable(maxStates);
  }
}

/** Crashes as DFS options: which signals, and at most how many per schedule. */
export interface DfsFaults {
  readonly signals: readonly CrashSignal[];
  readonly maxCrashes: number;
}

/**
 * One share of a parallel search (explore --jobs): the search tree is cut at
 * choice point `depth`. Every share walks the tree above the cut alike (no
 * pruning there, so all meet the same nodes in the same order) and numbers
 * the nodes at the cut as it meets them; share `index` of `of` searches below
 * node n only when it takes it (first come, with `claims`; else by shareOf). Runs that end above the cut belong
 * to share 0. The shares together are the whole search.
 */
export interface DfsSplit {
  readonly of: number;
  readonly index: number;
  readonly depth: number;
  /**
   * Shared by the shares (an Int32Array on a SharedArrayBuffer): word n is
   * 1 + the share that took node n, 0 while nobody has. Every share meets the
   * nodes in the same order, so the first to reach one takes it: a share deep
   * in a large subtree leaves the next nodes to the others (load balance).
   * Nodes past its end, or without it, go by shareOf.
   */
  readonly claims?: Int32Array;
}

/**
 * The share of the n-th node at the cut: n scrambled, then mod `of`. Plain
 * round-robin gave one share 60% of pr-15158's schedules at each cut from 4
 * to 30 (measured, #14; siblings went to alternate shares, and a node's first,
 * non-preemptive child probably holds the larger subtree).
 */
export function shareOf(n: number, of: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % of;
}

/** Does share `s.index` search below the n-th node at the cut? */
function takes(s: DfsSplit, n: number): boolean {
  const c = s.claims;
  if (!c || n >= c.length) return shareOf(n, s.of) === s.index;
  const old = Atomics.compareExchange(c, n, 0, s.index + 1);
  return old === 0 || old === s.index + 1;
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
  readonly recorder?: FootprintRecorder;
  /** The run's trace so far (with a reduction). */
  readonly trace = new TraceKey();
  /** The previous decision (its task and crash), whose footprint completes when the next decision comes. */
  private last: Task | null = null;
  private lastFault: CrashSignal | null = null;
  /** Set when the run was stopped as equivalent to an explored one. */
  pruned = false;
  /** Set when the run was stopped at the cut of a parallel search, at a node of another share. */
  skipped = false;
  /** Of this share: it reached the cut at one of this share's nodes, or (share 0) it never reached the cut. */
  private below = false;

  constructor(
    private readonly prefix: readonly { chosen: number; options: number }[],
    private readonly faults: DfsFaults | null = null,
    private readonly reduction: { readonly prune: boolean; readonly bounded: boolean; readonly visited: Visited } | null = null,
    private readonly split: { readonly at: DfsSplit; readonly explorer: DfsExplorer } | null = null,
  ) {
    this.name = faults ? 'dfs+faults' : 'dfs';
    if (reduction) this.recorder = new FootprintRecorder();
  }

  /** Adds the last decision's step, now complete, to the trace. */
  closeStep(): void {
    if (this.last === null || !this.recorder) return;
    const t = this.last;
    this.trace.addStep(t.actor, t.seq, t.label, this.lastFault, this.recorder, this.trace.length);
    this.last = null;
  }

  choose(c: Choice): number {
    this.taken = null;
    this.closeStep();
    const i = this.pick(c);
    if (i !== PRUNE && this.recorder) {
      this.last = c.tasks[i]!;
      this.lastFault = this.taken;
    }
    return i;
  }

  /**
   * Past the replayed prefix, a decision whose state an equivalent prefix
   * reached before, with no more preemptions spent, was searched from there:
   * the rest of this run is pruned.
   */
  private seenBefore(c: Choice): boolean {
    const r = this.reduction;
    if (!r?.prune || this.frames.length < this.prefix.length) return false;
    // Above the cut of a parallel search, every share walks the same tree: none may prune there.
    if (this.split && this.frames.length <= this.split.at.depth) return false;
    // The state: the trace (hence the store, the sockets and every actor's place), the clock, and what the bound's cost depends on.
    const [a, b, d, e] = this.trace.searchState(c.nowUs ?? c.step, this.crashes, r.bounded ? { actor: c.previous, group: c.previousGroup } : null);
    const seen = r.visited.states.get(a, b, d, e);
    if (seen !== undefined && seen <= this.spent) return true;
    r.visited.states.set(a, b, d, e, this.spent);
    return false;
  }

  private pick(c: Choice): number {
    // Checked at forced decisions too: a run's tail where one actor is left has no choice point, but its states do repeat.
    if (this.seenBefore(c)) {
      this.pruned = true;
      return PRUNE;
    }
    const n = c.tasks.length;
    if (n === 1 && !(this.faults && this.crashes < this.faults.maxCrashes && c.tasks[0]!.crashPoint)) return 0;
    const first = n === 1 ? 0 : defaultChoice(c);
    const order = [first];
    for (let i = 0; i < n; i++) if (i !== first) order.push(i);
    const options: { task: number; fault: CrashSignal | null }[] = order.map((task) => ({ task, fault: null }));
    const f = this.faults;
    if (f && this.crashes < f.maxCrashes) {
      for (const task of order) if (c.tasks[task]!.crashPoint) for (const fault of f.signals) options.push({ task, fault });
    }
    if (options.length === 1) return 0;
    const k = this.frames.length;
    const sp = this.split;
    if (sp && k === sp.at.depth) {
      // A node at the cut: met for the first time when this choice is not replayed (the prefix ends above it).
      if (this.prefix.length <= k && !takes(sp.at, sp.explorer.cutNodes++)) {
        this.skipped = true;
        return PRUNE;
      }
      this.below = true;
    }
    const pre = preemptions(c);
    const costs = new Uint8Array(options.length);
    for (let j = 0; j < options.length; j++) costs[j] = pre[options[j]!.task]!;
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

  /** Whether this finished run is this share's (always, outside a parallel search). */
  get ours(): boolean {
    return !this.split || this.below || (this.split.at.index === 0 && !this.skipped);
  }

  fault(_c: Choice, chosen: Task): CrashSignal | null {
    return chosen.crashPoint ? this.taken : null;
  }
}

/**
 * Drives the search: one DfsRun per schedule until the tree within the bound
 * (Infinity: every interleaving) is exhausted.
 */
export class DfsExplorer {
  private prefix: { chosen: number; options: number }[] = [];
  private done = false;
  private readonly visited: Visited | null;
  /** Runs stopped by the reduction, and runs that reached their end. */
  prunedRuns = 0;
  completedRuns = 0;
  /** Runs stopped at a node of another share (a parallel search), and the nodes met at the cut so far. */
  skippedRuns = 0;
  cutNodes = 0;

  constructor(
    readonly bound: number,
    private readonly faults: DfsFaults | null = null,
    readonly reduction: DfsReduction | null = null,
    /** A share of a parallel search; null: the whole search. */
    readonly split: DfsSplit | null = null,
  ) {
    this.visited = reduction ? new Visited(reduction.maxStates) : null;
  }

  get exhausted(): boolean {
    return this.done;
  }

  /** Distinct Mazurkiewicz traces among the runs that reached their end (with a reduction; else null). */
  get traces(): number | null {
    return this.visited ? this.visited.traces.size : null;
  }

  /** The distinct traces' keys (with a reduction; else empty): a parallel search's shares are merged by them. */
  get traceKeys(): ReadonlySet<string> {
    return this.visited?.traces ?? new Set();
  }

  /** Choice points the reduction has seen (the memory it holds). */
  get states(): number {
    return this.visited?.states.size ?? 0;
  }

  /** The reduction's table reached its bound: later states were not remembered (the search pruned less). */
  get statesFull(): boolean {
    return this.visited?.states.full ?? false;
  }

  nextRun(): DfsRun | null {
    if (this.done) return null;
    const r = this.reduction && this.visited ? { prune: this.reduction.prune, bounded: Number.isFinite(this.bound), visited: this.visited } : null;
    return new DfsRun(this.prefix, this.faults, r, this.split ? { at: this.split, explorer: this } : null);
  }

  /** Backtracks from a finished (or pruned) run to the next unexplored schedule. */
  endRun(run: DfsRun): void {
    if (run.skipped) this.skippedRuns++;
    else if (run.pruned) this.prunedRuns++;
    else if (run.ours) {
      this.completedRuns++;
      run.closeStep();
      if (this.visited) this.visited.traces.add(run.trace.key);
    }
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
