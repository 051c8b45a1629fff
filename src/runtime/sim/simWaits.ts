/**
 * What a sim actor waits for, for the watchdog's finding: read from the
 * kernel's parks (kind and label), plus the lock file and mode of each pending
 * `ctx.lock`, which a park's label alone does not carry.
 */
import type { OfdId } from '../../messages/ids.js';
import type { ActorWaitState, WaitFor } from '../../actors/deadlockReport.js';
import type { FlockMode } from '../../store/index.js';
import type { Kernel } from './kernel.js';
import { SimContext } from './simContext.js';

/** A SimContext that remembers which locks its fibers are waiting for. */
export class WatchedSimContext extends SimContext {
  readonly pendingLocks = new Set<{ readonly file: number; readonly mode: FlockMode; readonly label: string }>();

  override async lock(ofd: OfdId, mode: FlockMode, what: string): Promise<void> {
    const pending = { file: this.store.flock.fileOf(ofd), mode, label: what };
    this.pendingLocks.add(pending);
    try {
      await super.lock(ofd, mode, what);
    } finally {
      this.pendingLocks.delete(pending);
    }
  }
}

/** Which end of which connection a receive park's label names (the labels simRun gives its socket pairs). */
const RECV_ENDS = { 'daemon.reply': 'daemon-client', 'daemon.request': 'daemon-worker', 'roots.reply': 'roots-client', 'roots.request': 'roots-server' } as const;

function waitOf(ctx: WatchedSimContext, kind: string, label: string): WaitFor {
  switch (kind) {
    case 'lock': {
      const what = label.replace(/^lock:/, '');
      const p = [...ctx.pendingLocks].find((l) => l.label === what);
      return { kind: 'flock', file: p?.file ?? null, label: what, mode: p?.mode ?? 'exclusive' };
    }
    case 'recv': {
      const on = RECV_ENDS[label as keyof typeof RECV_ENDS] as (typeof RECV_ENDS)[keyof typeof RECV_ENDS] | undefined;
      return on ? { kind: 'message', on } : { kind: 'internal' };
    }
    case 'accept':
      return { kind: 'accept' };
    case 'wait':
      if (label.startsWith('awaitExit:')) return { kind: 'exit', process: label.slice('awaitExit:'.length) };
      if (label.startsWith('barrier:')) return { kind: 'barrier', name: label.slice('barrier:'.length) };
      if (label === 'runGcThread') return { kind: 'gcThread' };
      return { kind: 'internal' };
    default:
      return { kind: 'internal' };
  }
}

/**
 * An actor's state when the kernel stops a run: runnable if one of its fibers
 * could be resumed (only under a spent step budget), otherwise blocked on what
 * its parks wait for (no park at all: a condition of its own).
 */
export function simWaitState(kernel: Kernel, ctx: WatchedSimContext): ActorWaitState {
  const parks = kernel.parksOf(ctx.actor);
  const ready = parks.find((p) => p.ready);
  if (ready) return { state: 'runnable', at: ready.label };
  const waits = parks.map((p) => waitOf(ctx, p.kind, p.label));
  return { state: 'blocked', waits: waits.length > 0 ? waits : [{ kind: 'internal' }] };
}
