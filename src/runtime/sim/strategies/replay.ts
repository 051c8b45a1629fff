/**
 * Replays a recorded schedule. Each decision names (actor, label, seq); the
 * exact fiber is taken when it is runnable. When it is not (the code changed,
 * or a shrinker removed decisions), the replay stays lenient: the same actor at
 * the same label, else at the same sequence number, else the key is skipped;
 * the first such place is reported as the divergence. Past the end of the
 * schedule it runs non-preemptively.
 */
import type { CrashSignal } from '../../../messages/scenario.js';
import { showDecision, type Decision, type Task } from '../task.js';
import { defaultChoice, type Choice, type Strategy } from './strategy.js';

export interface Divergence {
  /** Index of the decision in the recorded schedule that could not be taken as recorded. */
  readonly index: number;
  readonly expected: Decision;
  readonly runnable: readonly Decision[];
}

export class ReplayStrategy implements Strategy {
  readonly name = 'replay';
  private next = 0;
  /** The first place where the run could not follow the schedule, or null. */
  divergence: Divergence | null = null;
  /** Decisions taken after the schedule ran out. */
  beyond = 0;
  /** The fault of the decision just taken (a crash the schedule recorded there). */
  private taken: CrashSignal | null = null;

  constructor(private readonly schedule: readonly Decision[]) {}

  choose(c: Choice): number {
    this.taken = null;
    while (this.next < this.schedule.length) {
      const want = this.schedule[this.next]!;
      const exact = c.tasks.findIndex((t) => t.actor === want.actor && t.seq === want.seq && t.label === want.label);
      if (exact >= 0) {
        this.next++;
        this.taken = want.fault ?? null;
        return exact;
      }
      this.diverged(want, c.tasks);
      this.next++;
      // The same step a little earlier or later (steps added or removed), else the same place under a new label.
      const moved = c.tasks.findIndex((t) => t.actor === want.actor && t.label === want.label);
      if (moved >= 0) {
        this.taken = want.fault ?? null;
        return moved;
      }
      const renamed = c.tasks.findIndex((t) => t.actor === want.actor && t.seq === want.seq);
      if (renamed >= 0) return renamed;
      // The actor is elsewhere (blocked, or gone): skip this decision.
    }
    this.beyond++;
    return defaultChoice(c);
  }

  /** A crash recorded at the decision just replayed (only at the same step label). */
  fault(_c: Choice, chosen: Task): CrashSignal | null {
    return chosen.crashPoint ? this.taken : null;
  }

  /** Decisions of the schedule not consumed by the run (it ended early). */
  get unused(): number {
    return this.schedule.length - this.next;
  }

  private diverged(expected: Decision, tasks: readonly Task[]): void {
    this.divergence ??= { index: this.next, expected, runnable: tasks.map((t) => ({ actor: t.actor, label: t.label, seq: t.seq })) };
  }
}

export function showDivergence(d: Divergence): string {
  const alt = d.runnable.map(showDecision).join('; ');
  return `diverged at decision ${d.index}: expected ${showDecision(d.expected)}; runnable were ${alt || 'none'}`;
}
