/**
 * The shared intern table: any thread turns a base name into a PathId and back
 * without asking another thread. Lookups are lock-free; inserts take the intern
 * mutex and publish a fully written record with one Atomics.store of the bucket
 * head, so a reader that sees the id also sees its fields.
 */
import { CapacityError } from '../messages/errors.js';
import { STORE_DIR, mintPathId, type PathId, type StorePath } from '../messages/ids.js';
import { H, PF, PathField as P, type Layout } from './layout.js';
import { mutexLock, mutexUnlock } from './mutex.js';
import { HASH_PART_LEN, baseNameOf, hashPartOf } from './paths.js';

/** FNV-1a over the name's char codes (names are ASCII). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export class PathTable {
  private readonly next: Int32Array;
  private readonly nameOff: Int32Array;
  private readonly nameLen: Int32Array;
  private readonly hash: Int32Array;
  private readonly flags: Int32Array;
  /** Per-thread cache of decoded names; ids never change their name. */
  private readonly nameCache: (string | undefined)[] = [];
  /**
   * Per-thread cache of names found in the table. Only hits are cached: an id
   * never changes its name, so a cached hit stays right; a miss may be interned
   * later by another thread, so it is never cached.
   */
  private readonly idCache = new Map<string, PathId>();

  constructor(private readonly L: Layout) {
    this.next = L.paths[P.next]!;
    this.nameOff = L.paths[P.nameOff]!;
    this.nameLen = L.paths[P.nameLen]!;
    this.hash = L.paths[P.hash]!;
    this.flags = L.paths[P.flags]!;
  }

  /** Number of interned names (ids are 0..count-1). */
  count(): number {
    // Ids below this are fully written: the counter is stored before the bucket publish.
    return Atomics.load(this.L.header, H.pathCount);
  }

  /** The id of a base name or full store path, or -1 when it was never interned. */
  lookup(name: string): PathId | -1 {
    const hit = this.idCache.get(name);
    if (hit !== undefined) return hit;
    const base = baseNameOf(name);
    const id = this.find(base, fnv1a(base));
    if (id !== -1 && this.idCache.size < 1 << 20) this.idCache.set(name, id);
    return id;
  }

  private find(base: string, h: number): PathId | -1 {
    const L = this.L;
    // Acquire: pairs with the Atomics.store that published the bucket head.
    let id = Atomics.load(L.buckets, h & (L.hashBuckets - 1));
    while (id >= 0) {
      if (this.hash[id] === h && this.nameLen[id] === base.length && this.sameName(id, base)) return mintPathId(id);
      id = this.next[id]!;
    }
    return -1;
  }

  private sameName(id: number, base: string): boolean {
    const names = this.L.names;
    const off = this.nameOff[id]!;
    for (let i = 0; i < base.length; i++) if (names[off + i] !== base.charCodeAt(i)) return false;
    return true;
  }

  /** The id of a name, interning it if needed. Same name ⇒ same id, in every thread. */
  intern(name: string): PathId {
    const hit = this.idCache.get(name);
    if (hit !== undefined) return hit;
    const base = baseNameOf(name);
    const h = fnv1a(base);
    const found = this.find(base, h);
    if (found !== -1) return found;
    const L = this.L;
    mutexLock(L.header, H.internLock);
    try {
      const again = this.find(base, h); // another thread may have won while we waited
      if (again !== -1) return again;
      const id = L.header[H.pathCount]!;
      if (id >= L.caps.maxPaths) throw new CapacityError('paths', L.caps.maxPaths);
      const off = L.header[H.nameBump]!;
      if (off + base.length > L.caps.maxNameBytes) throw new CapacityError('name bytes', L.caps.maxNameBytes);
      for (let i = 0; i < base.length; i++) {
        const c = base.charCodeAt(i);
        if (c > 0x7e || c < 0x20) throw new RangeError(`store names are printable ASCII: '${base}'`);
        L.names[off + i] = c;
      }
      L.header[H.nameBump] = off + base.length;
      const b = h & (L.hashBuckets - 1);
      this.nameOff[id] = off;
      this.nameLen[id] = base.length;
      this.hash[id] = h;
      this.next[id] = L.buckets[b]!;
      for (const f of [P.firstOut, P.firstIn, P.deriver, P.firstOutput]) L.paths[f]![id] = -1;
      L.paths[P.size]![id] = 0;
      let flags = hashPartOf(base) ? PF.storePath : 0;
      if (base.endsWith('.drv')) flags |= PF.isDrv;
      Atomics.store(this.flags, id, flags);
      // Publish: count first, then the bucket head that makes the record reachable.
      Atomics.store(L.header, H.pathCount, id + 1);
      Atomics.store(L.buckets, b, id);
      return mintPathId(id);
    } finally {
      mutexUnlock(L.header, H.internLock);
    }
  }

  /** Base name (`<hash>-<name>`, or a junk name like `tmp-1`). */
  name(id: PathId): string {
    const cached = this.nameCache[id];
    if (cached !== undefined) return cached;
    if (id < 0 || id >= this.count()) throw new RangeError(`unknown path id ${id}`);
    const off = this.nameOff[id]!;
    const s = String.fromCharCode(...this.L.names.subarray(off, off + this.nameLen[id]!));
    this.nameCache[id] = s;
    return s;
  }

  /** Full path in the store directory. */
  storePath(id: PathId): StorePath {
    return `${STORE_DIR}/${this.name(id)}` as StorePath;
  }

  /** Hash part ('' for names that are not store paths). Temp roots match on it. */
  hashPart(id: PathId): string {
    return this.isStorePathName(id) ? this.name(id).slice(0, HASH_PART_LEN) : '';
  }

  isStorePathName(id: PathId): boolean {
    return (Atomics.load(this.flags, id) & PF.storePath) !== 0;
  }

  isDerivation(id: PathId): boolean {
    return (Atomics.load(this.flags, id) & PF.isDrv) !== 0;
  }
}
