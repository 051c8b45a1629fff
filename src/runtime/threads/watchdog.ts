/**
 * The threads runtime's watchdog, progress-based. A run is reported as a
 * deadlock only when (1) nothing the coordinator sees (events, requests,
 * exits) has happened for the quiet period, and (2) every live actor's thread
 * says that the actor is blocked — every fiber waits for a lock, a message, a
 * barrier, an exit or a GC thread, none is in a step or a sleep — (3) twice in
 * a row, a tick apart, with the same progress counts and nothing seen in
 * between (a message between two threads in flight at the first probe has
 * landed by the second). A slow run — an actor in a long step, sleeping,
 * starting up — is never reported. A thread that does not answer (blocked
 * synchronously) counts as stuck only after a whole quiet period of silence.
 *
 * Runs on the coordinator's thread, which never blocks (storeGate.ts), so its
 * timer always fires.
 */
import type { ActorWaitState, WaitFor } from '../../actors/deadlockReport.js';

/** One actor's answer to a probe. */
export type ProbeAnswer =
  | { readonly state: 'blocked'; readonly progress: number; readonly waits: readonly WaitFor[]; readonly holds: readonly number[] }
  /** In a step or a sleep, starting, or ending: it will make progress on its own. */
  | { readonly state: 'busy' }
  /** Its thread did not answer in time. */
  | { readonly state: 'unresponsive' };

export interface WatchdogHooks<K> {
  /** performance.now() of the last change the coordinator saw. */
  lastChange(): number;
  /** Asks every live actor's thread what the actor waits for. */
  probe(): Promise<Map<K, ProbeAnswer>>;
  /** Every live actor is stuck, and nothing has happened for `quietForMs`: report and end the run. */
  fire(states: Map<K, ActorWaitState>, quietForMs: number): void;
}

export class Watchdog<K> {
  private readonly timer: ReturnType<typeof setInterval>;
  private probing = false;
  private stopped = false;
  /** The last all-stuck probe, and the lastChange it was taken under. */
  private previous: { readonly answers: Map<K, ProbeAnswer>; readonly seen: number } | null = null;
  private readonly silentSince = new Map<K, number>();
  private readonly silentMs: number;

  constructor(
    /** The quiet period (the CLI's --timeout). */
    private readonly quietMs: number,
    private readonly hooks: WatchdogHooks<K>,
  ) {
    // A thread that does not answer may be starved on a loaded 2-core machine rather than stuck (one
    // such false deadlock was seen with heavy-load's 64 evaluators on 32 threads): silence counts only after 6 quiet periods.
    this.silentMs = Math.max(quietMs * 6, 30_000);
    const tick = Math.min(1000, Math.max(10, Math.floor(quietMs / 4)));
    this.timer = setInterval(() => void this.check(), tick);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.probing || this.stopped) return;
    const seen = this.hooks.lastChange();
    if (performance.now() - seen < this.quietMs) {
      this.previous = null;
      return;
    }
    this.probing = true;
    let answers: Map<K, ProbeAnswer>;
    try {
      answers = await this.hooks.probe();
    } finally {
      this.probing = false;
    }
    if (this.stopped) return;
    if (this.hooks.lastChange() !== seen) {
      this.previous = null;
      return;
    }
    const now = performance.now();
    for (const [k, a] of answers) {
      if (a.state !== 'unresponsive') this.silentSince.delete(k);
      else if (!this.silentSince.has(k)) this.silentSince.set(k, now);
    }
    const stuck =
      answers.size > 0 &&
      [...answers].every(([k, a]) => a.state === 'blocked' || (a.state === 'unresponsive' && now - this.silentSince.get(k)! >= this.silentMs));
    const prev = this.previous;
    this.previous = stuck ? { answers, seen } : null;
    if (!stuck || !prev || prev.seen !== seen || !sameProgress(prev.answers, answers)) return;
    this.stop();
    this.hooks.fire(statesOf(answers, now - seen), now - seen);
  }
}

/** Same actors, each blocked with the same progress count (or still silent). */
function sameProgress<K>(a: Map<K, ProbeAnswer>, b: Map<K, ProbeAnswer>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y || x.state !== y.state) return false;
    if (x.state === 'blocked' && y.state === 'blocked' && x.progress !== y.progress) return false;
  }
  return true;
}

function statesOf<K>(answers: Map<K, ProbeAnswer>, silentForMs: number): Map<K, ActorWaitState> {
  const out = new Map<K, ActorWaitState>();
  for (const [k, a] of answers) {
    if (a.state === 'blocked') out.set(k, { state: 'blocked', waits: a.waits, holds: a.holds });
    else if (a.state === 'unresponsive') out.set(k, { state: 'unresponsive', forMs: silentForMs });
  }
  return out;
}
