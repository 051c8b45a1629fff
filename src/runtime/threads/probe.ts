/**
 * The watchdog's probe in the threads runtime: asks each thread hosting a live
 * actor what its actors wait for (host.worker.ts `waits`). A thread's answer is
 * a consistent snapshot of its actors (it runs as one macrotask there); the
 * watchdog compares two probes to cover the threads answering at different
 * moments. A thread that does not answer in time is blocked synchronously.
 */
import type { Host } from './hostPool.js';
import type { ProbeAnswer } from './watchdog.js';

/** Where an actor runs: a host thread, and its key there. */
export interface HostedActor {
  readonly host: { readonly thread: Host; readonly actor: number };
}

export async function probeActors<E extends HostedActor>(live: readonly E[], timeoutMs: number): Promise<Map<E, ProbeAnswer>> {
  const threads = [...new Set(live.map((e) => e.host.thread))];
  const answers = await Promise.all(
    threads.map(async (t) => {
      if (t.dead) return { t, states: 'exited' as const };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)));
      // A call whose thread dies never settles (NODE-NOTES): race it against the exit and a deadline.
      const states = await Promise.race([t.api.waits(), t.exited.then(() => 'exited' as const), late]).finally(() => clearTimeout(timer));
      return { t, states };
    }),
  );
  const byThread = new Map(answers.map((a) => [a.t, a.states]));
  const out = new Map<E, ProbeAnswer>();
  for (const e of live) {
    const states = byThread.get(e.host.thread);
    if (states === 'late') out.set(e, { state: 'unresponsive' });
    else if (states === 'exited' || states === undefined) out.set(e, { state: 'busy' }); // its end is being recorded
    else {
      const s = states.find((x) => x.actor === e.host.actor);
      // Not there: starting (its start call not served yet) or just ended (its `done` in flight).
      if (!s || s.runnable) out.set(e, { state: 'busy' });
      else out.set(e, { state: 'blocked', progress: s.progress, waits: s.waits.length > 0 ? s.waits : [{ kind: 'internal' }], holds: s.holds });
    }
  }
  return out;
}
