/**
 * LocalStore::autoGC (§4): per-store trigger state. The GC itself runs on a GC
 * thread of the same process (ctx.runGcThread), with the caller waiting when
 * `sync` is set.
 */
import type { ActorContext, GcThreadResult } from './context.js';

export class AutoGc {
  private running: Promise<GcThreadResult> | null = null;
  /** Starts at the epoch, so the first call checks. */
  private lastGCCheck = -Infinity;
  private availAfterGC = Number.MAX_SAFE_INTEGER;

  constructor(private readonly ctx: ActorContext) {}

  async autoGC(sync: boolean): Promise<void> {
    const { settings, store } = this.ctx;
    let future: Promise<GcThreadResult>;
    if (this.running) {
      this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'join-running', avail: store.disk.freeSpace(), toFree: 0 });
      future = this.running;
    } else {
      const now = this.ctx.now();
      if (now < this.lastGCCheck + settings.minFreeCheckInterval) {
        return;
      }
      const avail = store.disk.freeSpace();
      this.lastGCCheck = now;
      if (settings.minFree <= 0 || avail >= settings.minFree || avail >= settings.maxFree) {
        if (settings.minFree > 0) this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'skip-enough-free', avail, toFree: 0 });
        return;
      }
      if (avail > this.availAfterGC * 0.97) {
        this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'skip-no-progress', avail, toFree: 0 });
        return;
      }
      const toFree = settings.maxFree - avail;
      this.ctx.emit({ type: 'inspect.autoGc.decision', decision: 'run', avail, toFree });
      this.ctx.emit({ type: 'inspect.log', level: 'info', text: `running auto-GC to free ${toFree} bytes` });
      future = this.ctx.runGcThread({ maxFreed: toFree }).then(
        (r) => this.finish(r),
        () => this.finish({ deleted: 0, bytesFreed: 0 }), // exceptions in the GC thread are swallowed
      );
      this.running = future;
    }
    if (sync) await future;
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
