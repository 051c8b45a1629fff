/**
 * PCT (Burckhardt et al., "A Randomized Scheduler with Probabilistic Guarantees
 * of Finding Bugs", ASPLOS 2010). Each actor gets a random priority above d;
 * d−1 change points are drawn uniformly from the first k decisions; the
 * highest-priority runnable actor runs, and at the i-th change point the actor
 * that just ran drops to priority i. A bug of depth d is found by one run with
 * probability at least 1/(n·k^(d−1)) for n actors and k decisions.
 */
import { mulberry32 } from '../../random.js';
import type { Choice, Strategy } from './strategy.js';

export class PctStrategy implements Strategy {
  readonly name = 'pct';
  private readonly rand: () => number;
  private readonly priority = new Map<string, number>();
  /** Decision index → the low priority the running actor drops to there. */
  private readonly changes = new Map<number, number>();
  private lowest = 0;

  /**
   * @param depth d: the bug depth to target (≥ 1).
   * @param steps k: the expected number of decisions per run (change points fall in [1, k]).
   */
  constructor(seed: number, depth: number, steps: number) {
    this.rand = mulberry32(seed);
    const k = Math.max(1, Math.floor(steps));
    for (let i = 1; i < depth && this.changes.size < k; ) {
      const at = 1 + Math.floor(this.rand() * k);
      if (this.changes.has(at)) continue;
      this.changes.set(at, depth - i);
      i++;
    }
  }

  choose(c: Choice): number {
    const drop = this.changes.get(c.step);
    if (drop !== undefined && c.previous !== null) this.priority.set(c.previous, drop);
    const demoted = new Set<string>();
    for (;;) {
      const best = this.highest(c);
      const chosen = c.tasks[best]!;
      // A busy-wait retry must not starve the actors it waits for: it drops below everyone.
      if (chosen.kind === 'yield' && !demoted.has(chosen.actor) && c.tasks.some((t) => t.actor !== chosen.actor)) {
        demoted.add(chosen.actor);
        this.priority.set(chosen.actor, --this.lowest);
        continue;
      }
      // Among one actor's runnable fibers (the GC's deleter and its roots server), pick at random.
      const mine = c.tasks.map((t, i) => (t.actor === chosen.actor ? i : -1)).filter((i) => i >= 0);
      return mine.length === 1 ? best : mine[Math.floor(this.rand() * mine.length)]!;
    }
  }

  private highest(c: Choice): number {
    let best = 0;
    let bestPrio = -Infinity;
    for (let i = 0; i < c.tasks.length; i++) {
      const t = c.tasks[i]!;
      let p = this.priority.get(t.actor);
      if (p === undefined) {
        // A new actor: a random priority above every change-point value (distinct with probability 1).
        p = this.changes.size + 1 + this.rand();
        this.priority.set(t.actor, p);
      }
      if (p > bestPrio) {
        bestPrio = p;
        best = i;
      }
    }
    return best;
  }
}

/** PCT's guarantee: the probability that `runs` runs found a given depth-d bug, at least. */
export function pctBound(runs: number, actors: number, steps: number, depth: number): number {
  const perRun = 1 / (Math.max(1, actors) * Math.pow(Math.max(1, steps), depth - 1));
  return 1 - Math.pow(1 - perRun, runs);
}
