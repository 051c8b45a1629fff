/**
 * A `LocalStore`'s `Sync<State> _state` (local-store.hh:89 @2.8.0): one mutex
 * shared by every thread of the process that uses that store — its main
 * thread, its auto-GC thread, the GC's roots-server threads. It is modelled as
 * an exclusive flock on an anonymous lock file: each thread opens its own open
 * file description, so two threads exclude each other, a dead process's hold
 * is dropped by the kernel (the coordinator), and the watchdog names the holder
 * (`_state of pid N`). `std::mutex` is not recursive, and neither is this.
 */
import type { OfdId } from '../messages/ids.js';
import type { ActorContext } from './context.js';

export class StateLock {
  private readonly ofd: OfdId;
  private readonly label: string;

  /** `file`: the store's lock file, shared with its other threads; null makes a new one (a new LocalStore). */
  constructor(
    private readonly ctx: ActorContext,
    file: number | null,
  ) {
    const { store, pid } = ctx;
    this.ofd = file === null ? store.tempRoots.openAnonymous(pid) : store.flock.open(pid, file);
    this.label = store.tempRoots.describe(store.flock.fileOf(this.ofd));
  }

  /** The lock file, for the store's other threads (its auto-GC thread). */
  get file(): number {
    return this.ctx.store.flock.fileOf(this.ofd);
  }

  /** `auto state(_state.lock())`, held until `release`. */
  async acquire(): Promise<void> {
    await this.ctx.lock(this.ofd, 'exclusive', this.label);
  }

  release(): void {
    this.ctx.store.flock.unlock(this.ofd);
  }

  /** A short section under `_state` (one SQLite query in Nix): nothing inside can be interleaved. */
  async run<T>(f: () => T): Promise<T> {
    await this.acquire();
    try {
      return f();
    } finally {
      this.release();
    }
  }

  close(): void {
    if (this.ctx.store.flock.isOpen(this.ofd)) this.ctx.store.flock.close(this.ofd);
  }
}
