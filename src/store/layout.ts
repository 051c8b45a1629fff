/**
 * The one shared-memory layout of the store. Every thread maps the same
 * SharedArrayBuffer through `mapLayout`; all offsets are computed here and
 * nowhere else.
 *
 * Regions, in order (each 8-byte aligned):
 *   header     Int32 slots H.*            counters, capacities, locks
 *   bytes      BigInt64 slots B.*         disk accounting (may exceed 2^31)
 *   buckets    Int32[hashBuckets]         intern hash-table heads (-1 = empty)
 *   paths      Int32[maxPaths] per field  struct of arrays, see PathField
 *   edges      Int32[maxEdges] per field  reference edges, see EdgeField
 *   names      Uint8[maxNameBytes]        interned names, ASCII
 *   files      Int32[maxFiles] per field  lockable files: gc.lock and temproots/*
 *   entries    Int32[maxTempEntries] x2   temp-root file contents (path, next)
 *   ofds       Int32[maxOfds] per field   open file descriptions (flock owners)
 *   roots      Int32[maxRoots] per field  permanent roots (gcroots/**)
 */

export interface Capacities {
  /** Interned names: store paths, `.lock`/`.chroot` junk, `tmp-*`, root link names. */
  readonly maxPaths: number;
  /** Reference edges between valid paths (a path's references). */
  readonly maxEdges: number;
  /** Total bytes of interned names (base names, without `/nix/store/`). */
  readonly maxNameBytes: number;
  /** Lockable files at once: `gc.lock` plus `temproots/<pid>` files (open or on disk). */
  readonly maxFiles: number;
  /** Temp-root entries across all temp-roots files. */
  readonly maxTempEntries: number;
  /** Open file descriptions at once. */
  readonly maxOfds: number;
  /** Permanent roots (direct and indirect). */
  readonly maxRoots: number;
}

/** Header slot indices (Int32). */
export const H = {
  magic: 0,
  version: 1,
  maxPaths: 2,
  maxEdges: 3,
  maxNameBytes: 4,
  maxFiles: 5,
  maxTempEntries: 6,
  maxOfds: 7,
  maxRoots: 8,
  hashBuckets: 9,
  pathCount: 10,
  edgeBump: 11,
  edgeFree: 12,
  nameBump: 13,
  entryBump: 14,
  entryFree: 15,
  ofdFree: 16,
  ofdBump: 17,
  rootCount: 18,
  /** Robust mutex words (mutex.ts): 0 free, else `owner << 1 | contended`; owner is the holder thread's mutex identity. */
  internLock: 19,
  dbLock: 20,
  dirLock: 21,
  eventSeq: 22,
  gcSocketExists: 23,
  dbGeneration: 24,
  fileBump: 25,
  fileFree: 26,
  validCount: 27,
  edgeCount: 28,
} as const;
const HEADER_SLOTS = 32;

/** The store's internal mutexes, by name (the watchdog's and the recovery's list). */
export const STORE_MUTEXES = { intern: H.internLock, db: H.dbLock, dir: H.dirLock } as const;
export type StoreMutexName = keyof typeof STORE_MUTEXES;

/** The header slots of a store buffer (where the mutex words live), for code that holds no `Store`. */
export function headerOf(sab: SharedArrayBuffer): Int32Array {
  return new Int32Array(sab, 0, HEADER_SLOTS);
}

/** BigInt64 slots. */
export const B = {
  totalBytes: 0,
  usedBytes: 1,
  /** -1: none; otherwise the free-space figure auto-GC reads (Nix's _NIX_TEST_FREE_SPACE_FILE). */
  freeOverride: 2,
} as const;
const BIG_SLOTS = 4;

export const PathField = {
  next: 0, // next id in the same hash bucket, -1 = end
  nameOff: 1,
  nameLen: 2,
  flags: 3, // PF bits
  firstOut: 4, // first edge whose `from` is this path
  firstIn: 5, // first edge whose `to` is this path
  deriver: 6, // PathId or -1
  firstOutput: 7, // for a .drv: first output edge (edges whose `to` is an output), chained through nextOut
  size: 8, // bytes on disk
  hash: 9, // FNV-1a of the name
} as const;
const PATH_FIELDS = 10;

/** Path flag bits. */
export const PF = {
  valid: 1,
  onDisk: 2,
  isDrv: 4,
  storePath: 8, // the name parses as a store path (has a 32-char hash part)
  hasOutputs: 16,
  fetcherCached: 32, // the fetcher's sqlite cache (~/.cache/nix) has a fingerprint for this source
} as const;

export const EdgeField = { from: 0, to: 1, nextOut: 2, nextIn: 3 } as const;
const EDGE_FIELDS = 4;

export const FileField = {
  state: 0, // FS.*
  name: 1, // for temproots: the pid the file is named after
  lock: 2, // flock word: 0 free, n>0 shared holders, -1 exclusive
  exclOfd: 3, // the exclusive holder, -1 = none
  firstEntry: 4,
  lastEntry: 5,
  count: 6, // root entries appended
  dMark: 7, // 1 when the GC wrote `d` into it
  opens: 8, // open file descriptions on it
  waiters: 9, // threads blocked in Atomics.wait on `lock`
  creator: 10, // pid that created the file
} as const;
const FILE_FIELDS = 11;

/** File states. */
export const FS = { free: 0, linked: 1, unlinked: 2, special: 3 } as const;
/** The slot that is always `gc.lock`. */
export const GC_LOCK_FILE = 0;

export const EntryField = { path: 0, next: 1 } as const;
const ENTRY_FIELDS = 2;

export const OfdField = { state: 0, owner: 1, file: 2, mode: 3 } as const;
const OFD_FIELDS = 4;
/** Lock modes as held by an OFD. */
export const LockMode = { none: 0, shared: 1, exclusive: 2 } as const;
export type LockModeValue = (typeof LockMode)[keyof typeof LockMode];

export const RootField = { kind: 0, path: 1, link: 2, userLinkExists: 3 } as const;
const ROOT_FIELDS = 4;
/** Root kinds: a symlink in gcroots/ to the store path, or gcroots/auto/* to a user's link. */
export const RK = { free: 0, direct: 1, indirect: 2 } as const;

export const LAYOUT_MAGIC = 0x4e495852; // "NIXR"
export const LAYOUT_VERSION = 1;

export interface Layout {
  readonly caps: Capacities;
  readonly hashBuckets: number;
  readonly header: Int32Array;
  readonly big: BigInt64Array;
  readonly buckets: Int32Array;
  /** paths[field] is an Int32Array of length maxPaths. */
  readonly paths: readonly Int32Array[];
  readonly edges: readonly Int32Array[];
  readonly names: Uint8Array;
  readonly files: readonly Int32Array[];
  readonly entries: readonly Int32Array[];
  readonly ofds: readonly Int32Array[];
  readonly roots: readonly Int32Array[];
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function bucketsFor(maxPaths: number): number {
  let n = 1024;
  while (n < maxPaths * 2) n *= 2;
  return n;
}

/** Bytes needed for a store of these capacities. */
export function layoutSize(caps: Capacities): number {
  return plan(caps).total;
}

interface Plan {
  total: number;
  offsets: Record<'header' | 'big' | 'buckets' | 'paths' | 'edges' | 'names' | 'files' | 'entries' | 'ofds' | 'roots', number>;
  hashBuckets: number;
}

function plan(caps: Capacities): Plan {
  const hashBuckets = bucketsFor(caps.maxPaths);
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at = align8(at + bytes);
    return start;
  };
  const offsets = {
    header: take(HEADER_SLOTS * 4),
    big: take(BIG_SLOTS * 8),
    buckets: take(hashBuckets * 4),
    paths: take(PATH_FIELDS * caps.maxPaths * 4 + PATH_FIELDS * 8),
    edges: take(EDGE_FIELDS * caps.maxEdges * 4 + EDGE_FIELDS * 8),
    names: take(caps.maxNameBytes),
    files: take(FILE_FIELDS * caps.maxFiles * 4 + FILE_FIELDS * 8),
    entries: take(ENTRY_FIELDS * caps.maxTempEntries * 4 + ENTRY_FIELDS * 8),
    ofds: take(OFD_FIELDS * caps.maxOfds * 4 + OFD_FIELDS * 8),
    roots: take(ROOT_FIELDS * caps.maxRoots * 4 + ROOT_FIELDS * 8),
  };
  return { total: at, offsets, hashBuckets };
}

function columns(sab: SharedArrayBuffer, offset: number, fields: number, n: number): Int32Array[] {
  const cols: Int32Array[] = [];
  const stride = align8(n * 4);
  for (let f = 0; f < fields; f++) cols.push(new Int32Array(sab, offset + f * stride, n));
  return cols;
}

/** Maps views over `sab` for the capacities it was created with. */
export function mapLayout(sab: SharedArrayBuffer, caps: Capacities): Layout {
  const p = plan(caps);
  if (sab.byteLength < p.total) throw new RangeError(`shared buffer too small: ${sab.byteLength} < ${p.total}`);
  const o = p.offsets;
  return {
    caps,
    hashBuckets: p.hashBuckets,
    header: new Int32Array(sab, o.header, HEADER_SLOTS),
    big: new BigInt64Array(sab, o.big, BIG_SLOTS),
    buckets: new Int32Array(sab, o.buckets, p.hashBuckets),
    paths: columns(sab, o.paths, PATH_FIELDS, caps.maxPaths),
    edges: columns(sab, o.edges, EDGE_FIELDS, caps.maxEdges),
    names: new Uint8Array(sab, o.names, caps.maxNameBytes),
    files: columns(sab, o.files, FILE_FIELDS, caps.maxFiles),
    entries: columns(sab, o.entries, ENTRY_FIELDS, caps.maxTempEntries),
    ofds: columns(sab, o.ofds, OFD_FIELDS, caps.maxOfds),
    roots: columns(sab, o.roots, ROOT_FIELDS, caps.maxRoots),
  };
}

/** Reads the capacities a buffer was created with, from its header. */
export function readCapacities(sab: SharedArrayBuffer): Capacities {
  const h = new Int32Array(sab, 0, HEADER_SLOTS);
  if (h[H.magic] !== LAYOUT_MAGIC) throw new RangeError('not a rootrace store buffer');
  return {
    maxPaths: h[H.maxPaths]!,
    maxEdges: h[H.maxEdges]!,
    maxNameBytes: h[H.maxNameBytes]!,
    maxFiles: h[H.maxFiles]!,
    maxTempEntries: h[H.maxTempEntries]!,
    maxOfds: h[H.maxOfds]!,
    maxRoots: h[H.maxRoots]!,
  };
}
