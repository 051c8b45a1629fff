/**
 * flock(2) semantics over shared memory. A lock belongs to an open file
 * description (OFD), not to a process or thread: two OFDs on one file conflict
 * even in the same process. A file's lock word is 0 (free), n > 0 (n shared
 * holders) or -1 (exclusive). Converting a held lock first drops it, as Linux
 * does, so a non-blocking conversion can fail having lost the old lock.
 *
 * Blocking is futex-style: try with CAS, then sleep on the lock word
 * (Atomics.wait in workers, Atomics.waitAsync on the main thread); every
 * release notifies when the file has sleepers.
 */
import { CapacityError, RootraceError } from '../messages/errors.js';
import { mintOfdId, mintPid, type OfdId, type Pid } from '../messages/ids.js';
import { FS, FileField as F, H, LockMode, OfdField as O, type Layout, type LockModeValue } from './layout.js';
import { mutexLock, mutexUnlock } from './mutex.js';

export type FlockMode = 'shared' | 'exclusive';

export interface LockHolder {
  readonly ofd: OfdId;
  readonly owner: Pid;
  readonly file: number;
  readonly mode: FlockMode;
}

const OFD_OPEN = 1;

export class Flock {
  private readonly lockWord: Int32Array;
  private readonly exclOfd: Int32Array;
  private readonly waiters: Int32Array;
  private readonly oState: Int32Array;
  private readonly oOwner: Int32Array;
  private readonly oFile: Int32Array;
  private readonly oMode: Int32Array;

  constructor(private readonly L: Layout) {
    this.lockWord = L.files[F.lock]!;
    this.exclOfd = L.files[F.exclOfd]!;
    this.waiters = L.files[F.waiters]!;
    this.oState = L.ofds[O.state]!;
    this.oOwner = L.ofds[O.owner]!;
    this.oFile = L.ofds[O.file]!;
    this.oMode = L.ofds[O.mode]!;
  }

  /** Opens a new OFD on `file` for `pid`. Callers hold the directory mutex when the file may be freed concurrently. */
  open(pid: Pid, file: number): OfdId {
    const h = this.L.header;
    mutexLock(h, H.dirLock);
    try {
      let o = h[H.ofdFree]!;
      if (o >= 0) h[H.ofdFree] = this.oFile[o]!;
      else {
        o = h[H.ofdBump]!;
        if (o >= this.L.caps.maxOfds) throw new CapacityError('open file descriptions', this.L.caps.maxOfds);
        h[H.ofdBump] = o + 1;
      }
      this.oOwner[o] = pid;
      this.oFile[o] = file;
      this.oMode[o] = LockMode.none;
      Atomics.add(this.L.files[F.opens]!, file, 1);
      Atomics.store(this.oState, o, OFD_OPEN);
      return mintOfdId(o);
    } finally {
      mutexUnlock(h, H.dirLock);
    }
  }

  fileOf(ofd: OfdId): number {
    return this.oFile[ofd]!;
  }

  ownerOf(ofd: OfdId): Pid {
    return mintPid(this.oOwner[ofd]!);
  }

  isOpen(ofd: OfdId): boolean {
    return Atomics.load(this.oState, ofd) === OFD_OPEN;
  }

  heldMode(ofd: OfdId): FlockMode | null {
    const m = this.oMode[ofd];
    return m === LockMode.exclusive ? 'exclusive' : m === LockMode.shared ? 'shared' : null;
  }

  /** LOCK_NB: true when granted. A conversion drops the old lock first (flock(2)). */
  tryLock(ofd: OfdId, mode: FlockMode): boolean {
    // A closed description reuses its `file` field as the free-list link: refuse, as flock(2) gives EBADF.
    if (Atomics.load(this.oState, ofd) !== OFD_OPEN) throw new RootraceError('nix.Io', 'acquiring/releasing lock: Bad file descriptor');
    const want: LockModeValue = mode === 'exclusive' ? LockMode.exclusive : LockMode.shared;
    const held = this.oMode[ofd]!;
    if (held === want) return true;
    if (held !== LockMode.none) this.unlock(ofd);
    const file = this.oFile[ofd]!;
    if (want === LockMode.exclusive) {
      // 0 -> -1: exclusive only when no holder of either kind exists.
      if (Atomics.compareExchange(this.lockWord, file, 0, -1) !== 0) return false;
      this.exclOfd[file] = ofd;
    } else {
      for (;;) {
        const v = Atomics.load(this.lockWord, file);
        if (v < 0) return false;
        // v -> v+1 only if no exclusive holder slipped in since the load.
        if (Atomics.compareExchange(this.lockWord, file, v, v + 1) === v) break;
      }
    }
    this.oMode[ofd] = want;
    return true;
  }

  /** LOCK_UN. */
  unlock(ofd: OfdId): void {
    const held = this.oMode[ofd]!;
    if (held === LockMode.none) return;
    const file = this.oFile[ofd]!;
    this.oMode[ofd] = LockMode.none;
    if (held === LockMode.exclusive) {
      this.exclOfd[file] = -1;
      // Release: writes made under the exclusive lock are visible to the next holder.
      Atomics.store(this.lockWord, file, 0);
    } else {
      Atomics.sub(this.lockWord, file, 1);
    }
    // Sleepers registered themselves before re-checking the word, so a zero count means nobody to wake.
    if (Atomics.load(this.waiters, file) > 0) Atomics.notify(this.lockWord, file);
  }

  /** The value to sleep on while `mode` conflicts, or null if it does not conflict now. */
  private conflictValue(file: number, mode: FlockMode): number | null {
    const v = Atomics.load(this.lockWord, file);
    if (mode === 'exclusive') return v !== 0 ? v : null;
    return v < 0 ? v : null;
  }

  /** Blocking LOCK_SH/LOCK_EX for worker threads (Atomics.wait). `timeoutMs` bounds one sleep, not the whole wait. */
  lockSync(ofd: OfdId, mode: FlockMode, timeoutMs = Infinity): boolean {
    const file = this.oFile[ofd]!;
    const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
    while (!this.tryLock(ofd, mode)) {
      Atomics.add(this.waiters, file, 1);
      try {
        const v = this.conflictValue(file, mode);
        const left = deadline - Date.now();
        if (left <= 0) return false;
        // Sleep only while the word still holds the conflicting value we saw.
        if (v !== null) Atomics.wait(this.lockWord, file, v, left === Infinity ? undefined : left);
      } finally {
        Atomics.sub(this.waiters, file, 1);
      }
    }
    return true;
  }

  /** Blocking acquire for the main thread (Atomics.waitAsync). A ref'd timer keeps the loop alive while waiting. */
  async lockAsync(ofd: OfdId, mode: FlockMode, timeoutMs = Infinity): Promise<boolean> {
    const file = this.oFile[ofd]!;
    const start = Date.now();
    while (!this.tryLock(ofd, mode)) {
      const left = timeoutMs - (Date.now() - start);
      if (left <= 0) return false;
      Atomics.add(this.waiters, file, 1);
      const keepAlive = setInterval(() => undefined, 1 << 30);
      try {
        const v = this.conflictValue(file, mode);
        if (v !== null) {
          const r = Atomics.waitAsync(this.lockWord, file, v, left === Infinity ? undefined : left);
          if (r.async) await r.value;
        }
      } finally {
        clearInterval(keepAlive);
        Atomics.sub(this.waiters, file, 1);
      }
    }
    return true;
  }

  /** The word a scheduler can watch to learn that `file`'s lock may have changed. */
  lockState(file: number): number {
    return Atomics.load(this.lockWord, file);
  }

  /** Closes an OFD: drops its lock (as close(2) does for the last fd) and frees the slot. */
  close(ofd: OfdId): void {
    if (!this.isOpen(ofd)) return;
    this.unlock(ofd);
    const h = this.L.header;
    mutexLock(h, H.dirLock);
    try {
      const file = this.oFile[ofd]!;
      Atomics.store(this.oState, ofd, 0);
      const opens = Atomics.sub(this.L.files[F.opens]!, file, 1) - 1;
      this.oFile[ofd] = h[H.ofdFree]!;
      h[H.ofdFree] = ofd;
      if (opens === 0 && Atomics.load(this.L.files[F.state]!, file) === FS.unlinked) this.onLastClose?.(file);
    } finally {
      mutexUnlock(h, H.dirLock);
    }
  }

  /** Called under the directory mutex when the last OFD of an unlinked file closes. */
  onLastClose: ((file: number) => void) | undefined;

  /** Every lock held right now (the watchdog's "who holds what"). */
  holders(file?: number): LockHolder[] {
    const out: LockHolder[] = [];
    const n = Atomics.load(this.L.header, H.ofdBump);
    for (let o = 0; o < n; o++) {
      if (Atomics.load(this.oState, o) !== OFD_OPEN) continue;
      const m = this.oMode[o]!;
      if (m === LockMode.none || (file !== undefined && this.oFile[o] !== file)) continue;
      out.push({ ofd: mintOfdId(o), owner: mintPid(this.oOwner[o]!), file: this.oFile[o]!, mode: m === LockMode.exclusive ? 'exclusive' : 'shared' });
    }
    return out;
  }

  /** Open OFDs of a process. */
  ofdsOf(pid: Pid): OfdId[] {
    const out: OfdId[] = [];
    const n = Atomics.load(this.L.header, H.ofdBump);
    for (let o = 0; o < n; o++) {
      if (Atomics.load(this.oState, o) === OFD_OPEN && this.oOwner[o] === pid) out.push(mintOfdId(o));
    }
    return out;
  }

  /**
   * What the kernel does when a process dies: every file description it had open
   * is closed, so every flock it held is released. Returns what was held.
   */
  releaseAllLocksOf(pid: Pid): LockHolder[] {
    const held: LockHolder[] = [];
    for (const ofd of this.ofdsOf(pid)) {
      const mode = this.heldMode(ofd);
      if (mode) held.push({ ofd, owner: pid, file: this.oFile[ofd]!, mode });
      this.close(ofd);
    }
    return held;
  }
}
