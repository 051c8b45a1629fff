/**
 * LocalStore::autoGC (§4): per-store trigger state. The GC itself runs on a GC
 * thread of the same process (ctx.runGcThread), with the caller waiting when
 * `sync` is set.
 */
import type { ActorContext, GcThreadResult } from './context.js';
import { collectGarbage } from './gc.js';
import { StateLock } from './stateLock.js';

/**
 * The body of an auto-GC thread (gc.cc:955 @2.35.2): collectGarbage on its
 * process's store — the same pid, that store's `_state` — with the default
 * options and `maxFreed`. Both runtimes host it as its own actor.
 */
export async function autoGcThread(ctx: ActorContext, gc: { readonly maxFreed: number; readonly run: string; readonly stateLock: number }): Promise<GcThreadResult> {
  const state = new StateLock(ctx, gc.stateLock);
  try {
    const r = await collectGarbage(ctx, { action: 'deleteDead', maxFreed: gc.maxFreed, run: gc.run }, state);
    return { deleted: r.deleted.length, bytesFreed: r.bytesFreed };
  } finally {
    state.close();
  }
}

export class AutoGc {
  private running: Promise<GcThreadResult> | null = null;
  /** Starts at the epoch, so the first call checks. */
  private lastGCCheck = -Infinity;
  private availAfterGC = Number.MAX_SAFE_INTEGER;

  constructor(
    private readonly ctx: ActorContext,
    private readonly state: StateLock,
  ) {}

  /** LocalStore::autoGC (gc.cc:897–988 @2.35.2): the decision is taken under `_state`; the wait is not. */
  async autoGC(sync: boolean): Promise<void> {
    await this.state.acquire();
    let future: Promise<GcThreadResult> | null;
    try {
      future = this.decide();
    } finally {
      this.state.release();
    }
    if (future && sync) await future;
  }

  private decide(): Promise<GcThreadResult> | null {
    const { settings, store } = this.ctx;
    let future: Promise<GcThreadResult>;
    if (this.running) {
      this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'join-running', avail: store.disk.freeSpace(), toFree: 0 });
      future = this.running;
    } else {
      const now = this.ctx.now();
      if (now < this.lastGCCheck + settings.minFreeCheckInterval) return null;
      const avail = store.disk.freeSpace();
      this.lastGCCheck = now;
      if (settings.minFree <= 0 || avail >= settings.minFree || avail >= settings.maxFree) {
        if (settings.minFree > 0) this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'skip-enough-free', avail, toFree: 0 });
        return null;
      }
      if (avail > this.availAfterGC * 0.97) {
        this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'skip-no-progress', avail, toFree: 0 });
        return null;
      }
      const toFree = settings.maxFree - avail;
      this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'run', avail, toFree });
      this.ctx.emit({ type: 'inspect.log', level: 'info', text: `running auto-GC to free ${toFree} bytes` });
      future = this.ctx.runGcThread({ maxFreed: toFree, stateLock: this.state.file }).then(
        (r) => this.finish(r),
        () => this.finish({ deleted: 0, bytesFreed: 0 }), // exceptions in the GC thread are swallowed
      );
      this.running = future;
    }
    return future;
  }

  private finish(r: GcThreadResult): GcThreadResult {
    this.availAfterGC = this.ctx.store.disk.freeSpace();
    this.lastGCCheck = this.ctx.now();
    this.running = null;
    return r;
  }

  /** ~LocalStore: "waiting for auto-GC to finish on exit...". */
  async waitOnExit(): Promise<void> {
    if (!this.running) return;
    this.ctx.emit({ type: 'inspect.log', level: 'info', text: 'waiting for auto-GC to finish on exit...' });
    await this.running;
  }
}
