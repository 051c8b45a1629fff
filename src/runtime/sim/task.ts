/**
 * What the sim scheduler chooses between: a fiber of an actor parked at a ctx
 * point. A decision is keyed by (actor, step label, per-actor sequence number),
 * not by its position in the runnable list, so a recorded schedule still
 * replays after small code changes and can say where it diverged.
 */

/**
 * Why a fiber is parked. `step` and `yield` are always runnable (`yield` marks a
 * busy-wait retry: switching away from it is never a preemption); the others
 * become runnable when what they wait for may have happened; `exit` is a
 * finished actor body whose process end (the kernel's fd cleanup) is itself a
 * scheduling decision.
 */
export type ParkKind = 'step' | 'yield' | 'lock' | 'recv' | 'accept' | 'sleep' | 'wait' | 'exit';

import type { CrashSignal } from '../../messages/scenario.js';

/** A runnable fiber as a strategy sees it. */
export interface Task {
  readonly actor: string;
  /**
   * The scenario process the actor belongs to (a daemon worker and an auto-GC
   * thread belong to their client): one logical thread of control while the
   * client waits on its worker.
   */
  readonly group: string;
  /** The actor's creation order in this run: a stable tie-break. */
  readonly actorIndex: number;
  readonly label: string;
  /** How many times this actor had parked before (0-based). */
  readonly seq: number;
  readonly kind: ParkKind;
  /** A ctx.step: the process may be crashed here instead of resumed (explore --faults). */
  readonly crashPoint?: boolean;
}

/** One scheduling decision: which parked fiber was resumed — or, with `fault`, crashed there instead. */
export interface Decision {
  readonly actor: string;
  readonly label: string;
  readonly seq: number;
  readonly fault?: CrashSignal;
}

export function decisionOf(t: Task): Decision {
  return { actor: t.actor, label: t.label, seq: t.seq };
}

export function showDecision(d: Decision): string {
  return `${d.actor} at '${d.label}' #${d.seq}${d.fault ? ` (${d.fault === 'kill' ? 'SIGKILL' : 'SIGTERM'})` : ''}`;
}

/**
 * Busy-wait retry points of the actors (a `ctx.step` whose only purpose is to
 * let someone else run before retrying). Scheduling them is a `yield`: a
 * scheduler that switches away is not preempting, and one that stays is.
 */
export const YIELD_LABELS: ReadonlySet<string> = new Set(['addTempRoot.busyRetry']);
