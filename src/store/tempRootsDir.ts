/**
 * `temproots/`: one file per pid, each an append-only list of roots, locked
 * with flock. Directory operations (create, unlink, readdir) are atomic under
 * the directory mutex; appends are lock-free for readers, who read `count`
 * first and then exactly that many published entries.
 *
 * The protocol around these files (create → lock → check empty; the GC's
 * try-lock, unlink and `d` marker) is actor logic: each method here is one
 * system call's worth of effect.
 */
import { CapacityError } from '../messages/errors.js';
import { mintPathId, type OfdId, type PathId, type Pid } from '../messages/ids.js';
import { FS, FileField as F, GC_LOCK_FILE, H, EntryField as TE, type Layout } from './layout.js';
import { mutexLock, mutexUnlock } from './mutex.js';
import type { Flock } from './flock.js';

export interface TempRootsFileInfo {
  readonly file: number;
  /** The pid the file is named after. */
  readonly name: number;
  readonly creator: number;
  readonly count: number;
}

/**
 * A temp-roots file's name is a number: a pid (`temproots/<pid>`, every release
 * but 2.35.0), or for 2.35.0's unique names (`makeTempPath(tempRootsDir,
 * "temproots")`, file-system.cc:540 @2.35.0: `temproots-<pid>-<counter>`) the
 * negative code -(pid * 65536 + counter). Name 0 is never in the directory:
 * it marks an anonymous lock file (a process's `_state` mutex, see openAnonymous).
 */
export const ANONYMOUS_FILE = 0;

export function uniqueTempRootsName(pid: number, counter: number): number {
  return -(pid * 65536 + (counter & 0xffff));
}

/** The file name as `readdir` would show it. */
export function tempRootsFileName(name: number): string {
  if (name >= 0) return String(name);
  const code = -name;
  return `temproots-${Math.floor(code / 65536)}-${code % 65536}`;
}

/** Whether a name parses as a pid (`std::stoi`, gc.cc:171 @2.34.0). */
export function isPidName(name: number): boolean {
  return name > 0;
}

export class TempRootsDir {
  private readonly state: Int32Array;
  private readonly fname: Int32Array;
  private readonly count: Int32Array;
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  private readonly dMark: Int32Array;

  constructor(
    private readonly L: Layout,
    private readonly flock: Flock,
  ) {
    this.state = L.files[F.state]!;
    this.fname = L.files[F.name]!;
    this.count = L.files[F.count]!;
    this.first = L.files[F.firstEntry]!;
    this.last = L.files[F.lastEntry]!;
    this.dMark = L.files[F.dMark]!;
    flock.onLastClose = (file) => this.freeFile(file);
  }

  private withDir<T>(f: () => T): T {
    mutexLock(this.L.header, H.dirLock);
    try {
      return f();
    } finally {
      mutexUnlock(this.L.header, H.dirLock);
    }
  }

  private findLinked(name: number): number {
    const n = this.L.header[H.fileBump]!;
    for (let f = 1; f < n; f++) if (this.state[f] === FS.linked && this.fname[f] === name) return f;
    return -1;
  }

  /** Does `temproots/<name>` exist? */
  exists(name: number): boolean {
    return this.withDir(() => this.findLinked(name) >= 0);
  }

  /** `openLockFile(temproots/<name>, create=true)`: open, creating the file if absent. */
  openOrCreate(pid: Pid, name: number): OfdId {
    return this.openCounted(pid, () => {
      const f = this.findLinked(name);
      return f < 0 ? this.allocFile(name, pid) : f;
    });
  }

  /**
   * Picks a file under the directory mutex and opens a description on it. The
   * open is counted under the same mutex, so the file cannot be freed before
   * flock.open runs.
   */
  private openCounted(pid: Pid, pick: () => number): OfdId {
    const file = this.withDir(() => {
      const f = pick();
      Atomics.add(this.L.files[F.opens]!, f, 1);
      return f;
    });
    try {
      return this.flock.open(pid, file);
    } finally {
      Atomics.sub(this.L.files[F.opens]!, file, 1);
    }
  }

  /** Opens an existing file (`open(O_RDWR)`), or null for ENOENT. */
  openExisting(pid: Pid, name: number): OfdId | null {
    const file = this.withDir(() => {
      const f = this.findLinked(name);
      if (f >= 0) Atomics.add(this.L.files[F.opens]!, f, 1);
      return f;
    });
    if (file < 0) return null;
    try {
      return this.flock.open(pid, file);
    } finally {
      Atomics.sub(this.L.files[F.opens]!, file, 1);
    }
  }

  private allocFile(name: number, creator: Pid): number {
    const h = this.L.header;
    let f = h[H.fileFree]!;
    if (f >= 0) h[H.fileFree] = this.first[f]!;
    else {
      f = h[H.fileBump]!;
      if (f >= this.L.caps.maxFiles) throw new CapacityError('temp-roots files', this.L.caps.maxFiles - 1);
      h[H.fileBump] = f + 1;
    }
    this.fname[f] = name;
    this.L.files[F.creator]![f] = creator;
    this.first[f] = -1;
    this.last[f] = -1;
    this.dMark[f] = 0;
    this.L.files[F.exclOfd]![f] = -1;
    Atomics.store(this.count, f, 0);
    Atomics.store(this.state, f, FS.linked);
    return f;
  }

  /** `unlink(temproots/<name>)`; false for ENOENT. Open descriptions keep the file alive. */
  unlink(name: number): boolean {
    return this.withDir(() => {
      const f = this.findLinked(name);
      if (f < 0) return false;
      Atomics.store(this.state, f, FS.unlinked);
      if (Atomics.load(this.L.files[F.opens]!, f) === 0) this.freeFile(f);
      return true;
    });
  }

  /** Called under the directory mutex: the file is unlinked and nobody has it open. */
  private freeFile(f: number): void {
    if (f === GC_LOCK_FILE || this.state[f] !== FS.unlinked) return;
    const h = this.L.header;
    const next = this.L.entries[TE.next]!;
    for (let e = this.first[f]!; e >= 0; ) {
      const n = next[e]!;
      next[e] = h[H.entryFree]!;
      h[H.entryFree] = e;
      e = n;
    }
    Atomics.store(this.state, f, FS.free);
    // `first` becomes the free list's link: a freed file has no entries to read.
    Atomics.store(this.count, f, 0);
    this.first[f] = h[H.fileFree]!;
    h[H.fileFree] = f;
  }

  /** Appends `path\0` through an open description. Needs no lock: the file is append-only. */
  append(ofd: OfdId, path: PathId): void {
    const f = this.flock.fileOf(ofd);
    this.withDir(() => {
      const h = this.L.header;
      const next = this.L.entries[TE.next]!;
      let e = h[H.entryFree]!;
      if (e >= 0) h[H.entryFree] = next[e]!;
      else {
        e = h[H.entryBump]!;
        if (e >= this.L.caps.maxTempEntries) throw new CapacityError('temp-root entries', this.L.caps.maxTempEntries);
        h[H.entryBump] = e + 1;
      }
      this.L.entries[TE.path]![e] = path;
      next[e] = -1;
      if (this.last[f]! >= 0) next[this.last[f]!] = e;
      else this.first[f] = e;
      this.last[f] = e;
    });
    // Publish: readers take `count` entries from the head, so the entry is linked before the count grows.
    Atomics.add(this.count, f, 1);
  }

  /** The GC's `d` marker, written after it unlinks a stale file. */
  writeDMarker(ofd: OfdId): void {
    Atomics.store(this.dMark, this.flock.fileOf(ofd), 1);
  }

  /** True when the file has no content: no roots and no `d`. */
  isEmpty(ofd: OfdId): boolean {
    const f = this.flock.fileOf(ofd);
    return Atomics.load(this.count, f) === 0 && Atomics.load(this.dMark, f) === 0;
  }

  /** Reads the whole file: roots in append order (no lock, as findTempRoots reads). */
  read(ofd: OfdId): PathId[] {
    return this.readFile(this.flock.fileOf(ofd));
  }

  readFile(f: number): PathId[] {
    return this.withDir(() => this.entriesOf(f));
  }

  /**
   * The roots in `temproots/<name>` if file slot `f` is still that linked file of
   * `creator`, else null — one look under the directory mutex, so that a file
   * its owner unlinks (and whose slot is freed or reused) in between is never
   * read as if it were still the file a `list()` saw.
   */
  readLinked(f: number, creator: number): PathId[] | null {
    return this.withDir(() => (this.state[f] === FS.linked && this.L.files[F.creator]![f] === creator ? this.entriesOf(f) : null));
  }

  /** Called under the directory mutex. */
  private entriesOf(f: number): PathId[] {
    if (this.state[f] === FS.free) return [];
    const n = Atomics.load(this.count, f);
    const out: PathId[] = [];
    const path = this.L.entries[TE.path]!;
    const next = this.L.entries[TE.next]!;
    for (let e = this.first[f]!, i = 0; e >= 0 && i < n; e = next[e]!, i++) out.push(mintPathId(path[e]!));
    return out;
  }

  /** `readdir(temproots/)`. */
  list(): TempRootsFileInfo[] {
    return this.withDir(() => {
      const out: TempRootsFileInfo[] = [];
      const n = this.L.header[H.fileBump]!;
      for (let f = 1; f < n; f++) {
        if (this.state[f] !== FS.linked) continue;
        out.push({ file: f, name: this.fname[f]!, creator: this.L.files[F.creator]![f]!, count: Atomics.load(this.count, f) });
      }
      return out;
    });
  }

  nameOf(file: number): number {
    return this.fname[file]!;
  }

  /**
   * An anonymous lock file (like `O_TMPFILE`): never in `readdir`, freed at its
   * last close. rootrace models a `LocalStore`'s `_state` mutex as an exclusive
   * flock on one, so that contention, death of the holder (the kernel drops it)
   * and the watchdog's holder report come from the flock machinery.
   */
  openAnonymous(pid: Pid): OfdId {
    return this.openCounted(pid, () => {
      const f = this.allocFile(ANONYMOUS_FILE, pid);
      Atomics.store(this.state, f, FS.unlinked);
      return f;
    });
  }

  /** What a flock's file is, for reports: `gc.lock`, `temproots/<name>` or `_state of pid N`. */
  describe(file: number): string {
    if (file === GC_LOCK_FILE) return 'gc.lock';
    const name = this.fname[file]!;
    if (name === ANONYMOUS_FILE) return `_state of pid ${this.L.files[F.creator]![file]!}`;
    return `temproots/${tempRootsFileName(name)}`;
  }
}
