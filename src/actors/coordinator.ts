/**
 * The coordinator's decisions, independent of how actors are hosted: pid
 * allocation, what a roots-socket connect yields, and what the kernel does when
 * a process ends (every flock dropped, the temp-roots file left behind).
 */
import type { ConnectErrno } from '../messages/addresses.js';
import { mintPid, type Pid } from '../messages/ids.js';
import type { Store } from '../store/index.js';

export interface ExitRecord {
  readonly heldLocks: number;
  /** The roots in the process's temp-roots file at its death. */
  readonly roots: readonly string[];
}

export class Coordinator {
  private nextPid = 1000;
  private listenerCount = 0;

  constructor(private readonly store: Store) {}

  allocatePid(): Pid {
    return mintPid(this.nextPid++);
  }

  listenerAdded(): void {
    this.listenerCount++;
  }

  listenerRemoved(): void {
    this.listenerCount--;
  }

  /**
   * connect() to gc-socket/socket: a bound listener accepts; otherwise the file
   * left by an earlier GC refuses (ECONNREFUSED), and no file at all is ENOENT.
   */
  gcSocketConnect(): 'ok' | ConnectErrno {
    if (this.listenerCount > 0) return 'ok';
    return this.store.gcSocketExists() ? 'ECONNREFUSED' : 'ENOENT';
  }

  /** Process death: record what it held, then release every lock it owned (as the kernel closes its fds). */
  processEnded(pid: Pid): ExitRecord {
    const file = this.store.tempRoots.list().find((f) => f.name === pid);
    const roots = file ? this.store.tempRoots.readFile(file.file).map((p) => this.store.storePath(p)) : [];
    const held = this.store.releaseAllLocksOf(pid);
    return { heldLocks: held.length, roots };
  }
}
