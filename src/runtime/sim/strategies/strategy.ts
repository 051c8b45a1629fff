/**
 * A strategy picks, at each scheduling decision, which runnable task resumes.
 * It sees only the runnable tasks (in the order they parked) and which actor
 * ran last; it never sees wall-clock time.
 */
import type { CrashSignal } from '../../../messages/scenario.js';
import type { FootprintRecorder } from '../footprint.js';
import type { Task } from '../task.js';

/** What `choose` returns to stop the run: the rest of it is equivalent to a schedule already explored. */
export const PRUNE = -1;

export interface Choice {
  /** Runnable tasks, in the order they parked. Never empty. */
  readonly tasks: readonly Task[];
  /** The actor resumed by the previous decision, or null at the first. */
  readonly previous: string | null;
  /** Its process group (Task.group). */
  readonly previousGroup: string | null;
  /** 0-based index of this decision in the run. */
  readonly step: number;
  /** The virtual clock (µs): part of the state a reduction compares. */
  readonly nowUs?: number;
}

export interface Strategy {
  readonly name: string;
  /** Index into `c.tasks`, or PRUNE to stop the run there (a reducing strategy only). */
  choose(c: Choice): number;
  /** Present when the strategy reduces by footprints: the run records each step's footprint into it (footprint.ts). */
  readonly recorder?: FootprintRecorder;
  /**
   * Called right after `choose` when the chosen task is a crash point (a
   * ctx.step): a signal crashes its process there instead of resuming it
   * (explore --faults); null resumes it. Strategies without faults omit it.
   */
  fault?(c: Choice, chosen: Task): CrashSignal | null;
}

/** Does the previous actor have a runnable task that is not a busy-wait retry? */
export function previousCanContinue(c: Choice): boolean {
  return c.previous !== null && c.tasks.some((t) => t.actor === c.previous && t.kind !== 'yield');
}

/** Does the previous actor's process (its client, daemon workers, GC threads) have a runnable task that is not a busy-wait retry? */
export function groupCanContinue(c: Choice): boolean {
  return c.previousGroup !== null && c.tasks.some((t) => t.group === c.previousGroup && t.kind !== 'yield');
}

/**
 * Would choosing `t` preempt? Switching away from an actor that could continue
 * is a preemption. So is leaving its process while the process could go on: a
 * client blocked on its own daemon worker hands over to that worker, as one
 * thread of control would, and going elsewhere instead is the scheduler's
 * choice, not the program's. Staying on a busy-wait retry while another actor
 * could run is a preemption too.
 */
export function isPreemption(c: Choice, t: Task): boolean {
  return c.previous !== null && preempts(c, t, continuations(c));
}

/** What isPreemption asks of a choice, whichever task is chosen. */
interface Continuations {
  readonly previous: boolean;
  readonly group: boolean;
  /** Some task of another actor than the previous one is runnable. */
  readonly other: boolean;
}

const continuations = (c: Choice): Continuations => ({ previous: previousCanContinue(c), group: groupCanContinue(c), other: c.tasks.some((x) => x.actor !== c.previous) });

/** The rule of isPreemption (`c.previous` is not null). */
function preempts(c: Choice, t: Task, k: Continuations): boolean {
  if (t.actor === c.previous) return t.kind === 'yield' && k.other;
  return k.previous || (t.group !== c.previousGroup && k.group);
}

/** isPreemption of every task of `c`, as 1 or 0, with the continuations looked up once (DFS costs each option). */
export function preemptions(c: Choice): Uint8Array {
  const out = new Uint8Array(c.tasks.length);
  if (c.previous === null) return out;
  const k = continuations(c);
  for (let i = 0; i < c.tasks.length; i++) out[i] = preempts(c, c.tasks[i]!, k) ? 1 : 0;
  return out;
}

/** Orders task indices by actor creation, then by park sequence. */
function earliest(tasks: readonly Task[], ok: (t: Task) => boolean): number {
  let best = -1;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    if (!ok(t)) continue;
    const b = best < 0 ? null : tasks[best]!;
    if (!b || t.actorIndex < b.actorIndex || (t.actorIndex === b.actorIndex && t.seq < b.seq)) best = i;
  }
  return best;
}

/**
 * The non-preemptive choice: keep running the previous actor, else its
 * process; otherwise the earliest-created actor that is not busy-waiting;
 * otherwise another busy-waiter than the last one (two spinners must not
 * starve a third actor).
 */
export function defaultChoice(c: Choice): number {
  if (previousCanContinue(c)) return earliest(c.tasks, (t) => t.actor === c.previous && t.kind !== 'yield');
  if (groupCanContinue(c)) return earliest(c.tasks, (t) => t.group === c.previousGroup && t.kind !== 'yield');
  const work = earliest(c.tasks, (t) => t.kind !== 'yield');
  if (work >= 0) return work;
  const other = earliest(c.tasks, (t) => t.actor !== c.previous);
  return other >= 0 ? other : earliest(c.tasks, () => true);
}
