/**
 * A `Store` is one thread's handle on the shared store: the same
 * SharedArrayBuffer mapped by every thread, with the operations grouped by the
 * part of Nix they model. Create it once per run (`createStore`), pass `sab`
 * to other threads, and `attachStore` there.
 */
import { mintPid, type PathId, type StorePath } from '../messages/ids.js';
import { Disk } from './disk.js';
import { Flock } from './flock.js';
import { FS, PF, PathField, FileField as F, GC_LOCK_FILE, H, LAYOUT_MAGIC, LAYOUT_VERSION, B, layoutSize, mapLayout, readCapacities, type Capacities, type Layout } from './layout.js';
import { PathTable } from './pathTable.js';
import { PermRoots } from './permRoots.js';
import { TempRootsDir } from './tempRootsDir.js';
import { ValidityDb } from './validityDb.js';

export interface StoreSizing {
  /** Expected interned names; everything else is derived unless given. */
  readonly paths: number;
  readonly edges?: number;
  readonly nameBytes?: number;
  readonly tempRootsFiles?: number;
  readonly tempEntries?: number;
  readonly ofds?: number;
  readonly roots?: number;
}

/** Capacities for a run's needs, with headroom for junk names and links. */
export function capacitiesFor(s: StoreSizing): Capacities {
  const files = s.tempRootsFiles ?? 256;
  return {
    maxPaths: s.paths,
    maxEdges: s.edges ?? s.paths * 8,
    maxNameBytes: s.nameBytes ?? s.paths * 64,
    maxFiles: files + 1, // slot 0 is gc.lock
    maxTempEntries: s.tempEntries ?? Math.max(1024, s.paths * 4),
    maxOfds: s.ofds ?? files * 4 + 64,
    maxRoots: s.roots ?? 1024,
  };
}

export class Store {
  readonly paths: PathTable;
  readonly db: ValidityDb;
  readonly disk: Disk;
  readonly flock: Flock;
  readonly tempRoots: TempRootsDir;
  readonly roots: PermRoots;
  /** The file slot of `stateDir/gc.lock`. */
  readonly gcLockFile = GC_LOCK_FILE;
  private readonly L: Layout;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.L = mapLayout(sab, readCapacities(sab));
    this.paths = new PathTable(this.L);
    this.db = new ValidityDb(this.L, this.paths);
    this.disk = new Disk(this.L, this.paths);
    this.flock = new Flock(this.L);
    this.tempRoots = new TempRootsDir(this.L, this.flock);
    this.roots = new PermRoots(this.L, this.paths);
  }

  /** A fresh, empty store sized by `caps`. `totalBytes` is the filesystem's size for free-space figures. */
  static create(caps: Capacities, totalBytes = 1 << 30): Store {
    for (const [k, v] of Object.entries(caps)) {
      if (!Number.isInteger(v) || v < 1 || v > 0x7fff_ffff) throw new RangeError(`capacity ${k} must be a positive integer, got ${String(v)}`);
    }
    const sab = new SharedArrayBuffer(layoutSize(caps));
    const L = mapLayout(sab, caps);
    const h = L.header;
    h[H.maxPaths] = caps.maxPaths;
    h[H.maxEdges] = caps.maxEdges;
    h[H.maxNameBytes] = caps.maxNameBytes;
    h[H.maxFiles] = caps.maxFiles;
    h[H.maxTempEntries] = caps.maxTempEntries;
    h[H.maxOfds] = caps.maxOfds;
    h[H.maxRoots] = caps.maxRoots;
    h[H.hashBuckets] = L.hashBuckets;
    h[H.edgeFree] = -1;
    h[H.entryFree] = -1;
    h[H.ofdFree] = -1;
    h[H.fileFree] = -1;
    h[H.fileBump] = 1;
    L.buckets.fill(-1);
    L.files[F.state]![GC_LOCK_FILE] = FS.special;
    L.files[F.exclOfd]![GC_LOCK_FILE] = -1;
    L.big[B.totalBytes] = BigInt(totalBytes);
    L.big[B.freeOverride] = -1n;
    h[H.version] = LAYOUT_VERSION;
    // Magic last: attachStore refuses a buffer whose header is not fully written.
    Atomics.store(h, H.magic, LAYOUT_MAGIC);
    return new Store(sab);
  }

  /** Maps an existing store buffer (in any thread). */
  static attach(sab: SharedArrayBuffer): Store {
    return new Store(sab);
  }

  get capacities(): Capacities {
    return this.L.caps;
  }

  /** Bytes of shared memory this store occupies. */
  get byteLength(): number {
    return this.sab.byteLength;
  }

  /** One global order for events from every thread. */
  nextSeq(): number {
    return Atomics.add(this.L.header, H.eventSeq, 1);
  }

  /** Does the roots socket file `gc-socket/socket` exist? (It outlives the GC that made it.) */
  gcSocketExists(): boolean {
    return Atomics.load(this.L.header, H.gcSocketExists) === 1;
  }

  setGcSocketExists(v: boolean): void {
    Atomics.store(this.L.header, H.gcSocketExists, v ? 1 : 0);
  }

  /** The fetcher's persistent cache (outside the store; survives GC): was this source fetched before? */
  fetcherCacheHas(id: PathId): boolean {
    return (Atomics.load(this.L.paths[PathField.flags]!, id) & PF.fetcherCached) !== 0;
  }

  fetcherCacheAdd(id: PathId): void {
    Atomics.or(this.L.paths[PathField.flags]!, id, PF.fetcherCached);
  }

  /**
   * Slots of each capacity ever taken (freed slots are reused before new ones,
   * so these are high-water marks): what a run needed, against `capacities`.
   */
  highWater(): Capacities {
    const h = this.L.header;
    // Each counter only grows (under its region's mutex); a racing reader sees a value no later allocation undoes.
    return {
      maxPaths: Atomics.load(h, H.pathCount),
      maxEdges: Atomics.load(h, H.edgeBump),
      maxNameBytes: Atomics.load(h, H.nameBump),
      maxFiles: Atomics.load(h, H.fileBump),
      maxTempEntries: Atomics.load(h, H.entryBump),
      maxOfds: Atomics.load(h, H.ofdBump),
      maxRoots: Atomics.load(h, H.rootCount),
    };
  }

  /** Interns a full store path or base name. */
  intern(path: string): PathId {
    return this.paths.intern(path);
  }

  storePath(id: PathId): StorePath {
    return this.paths.storePath(id);
  }

  /**
   * Closure invariant: every valid path's references are valid. Returns the first
   * violation. Checked in one DB transaction, so it is exact while other threads write.
   */
  findClosureViolation(): { path: StorePath; reference: StorePath } | null {
    const v = this.db.closureViolation();
    return v && { path: this.storePath(v.path), reference: this.storePath(v.reference) };
  }

  /** What the kernel does at process death: drop every flock of `pid` (see Flock.releaseAllLocksOf). */
  releaseAllLocksOf(pid: number): ReturnType<Flock['releaseAllLocksOf']> {
    return this.flock.releaseAllLocksOf(mintPid(pid));
  }
}
