/**
 * The validity database: which paths are valid, their references (a path may
 * refer to itself), referrers, derivers and a derivation's outputs. Writers take
 * the DB mutex, as SQLite serialises Nix's transactions; `isValid` is one atomic
 * load, so it never waits.
 */
import { CapacityError, CycleError, InvalidPathError, PathInUseError } from '../messages/errors.js';
import { mintPathId, type PathId, type StorePath } from '../messages/ids.js';
import { EdgeField as E, H, PF, PathField as P, type Layout } from './layout.js';
import { mutexLock, mutexUnlock } from './mutex.js';
import type { PathTable } from './pathTable.js';

/** One entry of a `registerValidPaths` batch. */
export interface ValidPathInfo {
  readonly path: PathId;
  readonly references: readonly PathId[];
  readonly deriver?: PathId;
  /** For a `.drv`: its output paths (Nix caches them in DerivationOutputs). */
  readonly outputs?: readonly PathId[];
  readonly narSize?: number;
}

export interface PathInfo {
  readonly path: StorePath;
  readonly references: readonly StorePath[];
  readonly deriver: StorePath | null;
  readonly narSize: number;
}

export class ValidityDb {
  private readonly flags: Int32Array;
  private readonly firstOut: Int32Array;
  private readonly firstIn: Int32Array;
  private readonly eFrom: Int32Array;
  private readonly eTo: Int32Array;
  private readonly eNextOut: Int32Array;
  private readonly eNextIn: Int32Array;

  constructor(
    private readonly L: Layout,
    private readonly paths: PathTable,
  ) {
    this.flags = L.paths[P.flags]!;
    this.firstOut = L.paths[P.firstOut]!;
    this.firstIn = L.paths[P.firstIn]!;
    this.eFrom = L.edges[E.from]!;
    this.eTo = L.edges[E.to]!;
    this.eNextOut = L.edges[E.nextOut]!;
    this.eNextIn = L.edges[E.nextIn]!;
  }

  /** `isValidPath`: one atomic load, no lock and no temp root (as in Nix). */
  isValid(id: PathId): boolean {
    return (Atomics.load(this.flags, id) & PF.valid) !== 0;
  }

  /** `isValidPath` by name: a lock-free intern lookup, then the flag. */
  isValidName(name: string): boolean {
    const id = this.paths.lookup(name);
    return id !== -1 && this.isValid(id);
  }

  validCount(): number {
    return Atomics.load(this.L.header, H.validCount);
  }

  /** Bumped by every committed transaction; lets observers notice change cheaply. */
  generation(): number {
    return Atomics.load(this.L.header, H.dbGeneration);
  }

  private lock(): void {
    mutexLock(this.L.header, H.dbLock);
  }

  private unlock(): void {
    mutexUnlock(this.L.header, H.dbLock);
  }

  private read<T>(f: () => T): T {
    this.lock();
    try {
      return f();
    } finally {
      this.unlock();
    }
  }

  /** References of a path (valid or not; an invalid path has none). */
  references(id: PathId): PathId[] {
    return this.read(() => this.refsUnlocked(id));
  }

  private refsUnlocked(id: number): PathId[] {
    const out: PathId[] = [];
    for (let e = this.firstOut[id]!; e >= 0; e = this.eNextOut[e]!) out.push(mintPathId(this.eTo[e]!));
    return out;
  }

  /** `queryReferrers`: valid paths that reference `id` (including itself). */
  referrers(id: PathId): PathId[] {
    return this.read(() => this.referrersUnlocked(id));
  }

  private referrersUnlocked(id: number): PathId[] {
    const out: PathId[] = [];
    for (let e = this.firstIn[id]!; e >= 0; e = this.eNextIn[e]!) out.push(mintPathId(this.eFrom[e]!));
    return out;
  }

  /** The deriver recorded for a path, or -1. */
  deriver(id: PathId): PathId | -1 {
    const d = Atomics.load(this.L.paths[P.deriver]!, id);
    return d < 0 ? -1 : mintPathId(d);
  }

  /** A derivation's output paths as recorded when it was registered. */
  outputs(drv: PathId): PathId[] {
    return this.read(() => {
      const out: PathId[] = [];
      // Output links are edges of their own (DerivationOutputs rows), chained from firstOutput: two
      // derivations may share an output path without touching each other's lists.
      for (let e = this.L.paths[P.firstOutput]![drv]!; e >= 0; e = this.eNextOut[e]!) out.push(mintPathId(this.eTo[e]!));
      return out;
    });
  }

  /** Valid derivations recorded as deriver of `id` (`queryValidDerivers`). */
  validDerivers(id: PathId): PathId[] {
    const d = this.deriver(id);
    return d !== -1 && this.isValid(d) ? [d] : [];
  }

  /** `queryPathInfo`; throws `path '…' is not valid` when there is no row. */
  queryPathInfo(id: PathId): PathInfo {
    return this.read(() => {
      if (!this.isValid(id)) throw new InvalidPathError(this.paths.storePath(id));
      const d = this.L.paths[P.deriver]![id]!;
      return {
        path: this.paths.storePath(id),
        references: this.refsUnlocked(id).map((r) => this.paths.storePath(r)),
        deriver: d >= 0 ? this.paths.storePath(mintPathId(d)) : null,
        narSize: this.L.paths[P.size]![id]!,
      };
    });
  }

  /**
   * `registerValidPaths`: one transaction. A reference must be valid already or be
   * in the batch, else `path '<ref>' is not valid`; a cycle within the batch is
   * an error; either way nothing is registered (rollback).
   */
  registerValidPaths(batch: readonly ValidPathInfo[]): void {
    this.lock();
    try {
      const inBatch = new Set<number>(batch.map((i) => i.path));
      let missing = false;
      let internal = false;
      for (const info of batch) {
        for (const ref of info.references) {
          if (inBatch.has(ref)) internal ||= ref !== info.path;
          else if (!this.isValid(ref)) missing = true;
        }
      }
      if (missing || internal) {
        // Nix walks its batch (a map keyed by path) and each reference set in sorted
        // order, so that order decides which path an error names. Sorting only when
        // an error is possible keeps the common one-path batch cheap.
        const sorted = [...batch].sort((x, y) => this.byName(x.path, y.path));
        // Nix inserts the rows first, then each reference through queryValidPathId.
        for (const info of sorted) {
          for (const ref of [...info.references].sort(this.byName)) {
            if (!inBatch.has(ref) && !this.isValid(ref)) throw new InvalidPathError(this.paths.storePath(ref));
          }
        }
        this.checkCycles(sorted, inBatch);
      }
      this.reserveEdges(batch);
      for (const info of batch) this.apply(info);
      // Publish validity last: a reader that sees the flag sees the edges.
      let added = 0;
      for (const info of batch) {
        const old = Atomics.or(this.flags, info.path, PF.valid);
        if ((old & PF.valid) === 0) added++;
      }
      Atomics.add(this.L.header, H.validCount, added);
      Atomics.add(this.L.header, H.dbGeneration, 1);
    } finally {
      this.unlock();
    }
  }

  /** StorePathSet order: by base name (every full path has the same store-dir prefix). */
  private readonly byName = (a: number, b: number): number => {
    const x = this.paths.name(mintPathId(a));
    const y = this.paths.name(mintPathId(b));
    return x < y ? -1 : x > y ? 1 : 0;
  };

  /** topoSort over the batch, visiting paths and references in sorted order; self-references are not cycles. */
  private checkCycles(batch: readonly ValidPathInfo[], inBatch: Set<number>): void {
    const refsOf = new Map<number, readonly PathId[]>(batch.map((i) => [i.path, i.references]));
    const done = new Set<number>();
    const parents = new Set<number>();
    const visit = (path: number, parent: number | null): void => {
      if (parents.has(path)) {
        throw new CycleError(this.paths.storePath(mintPathId(path)), this.paths.storePath(mintPathId(parent ?? path)));
      }
      if (done.has(path)) return;
      parents.add(path);
      for (const r of [...(refsOf.get(path) ?? [])].sort(this.byName)) if (r !== path && inBatch.has(r)) visit(r, path);
      parents.delete(path);
      done.add(path);
    };
    for (const info of batch) visit(info.path, null);
  }

  /** Counts the edges the batch needs before touching anything (so a full table rolls back cleanly). */
  private reserveEdges(batch: readonly ValidPathInfo[]): void {
    let need = 0;
    for (const info of batch) {
      need += this.newRefs(info).length;
      if (info.outputs && !(Atomics.load(this.flags, info.path) & PF.hasOutputs)) need += new Set(info.outputs).size;
    }
    let free = this.L.caps.maxEdges - this.L.header[H.edgeBump]!;
    for (let e = this.L.header[H.edgeFree]!; e >= 0 && free < need; e = this.eNextOut[e]!) free++;
    if (need > free) throw new CapacityError('reference edges', this.L.caps.maxEdges);
  }

  /** References of `info` that are not edges yet (deduplicated). */
  private newRefs(info: ValidPathInfo): readonly PathId[] {
    const refs = info.references;
    if (this.firstOut[info.path]! < 0) {
      // A path with no edges (the usual new path): only duplicates need removing.
      if (refs.length < 2) return refs;
      const unique = new Set(refs);
      return unique.size === refs.length ? refs : [...unique];
    }
    const existing = new Set(this.refsUnlocked(info.path));
    return [...new Set(refs)].filter((r) => !existing.has(r));
  }

  private apply(info: ValidPathInfo): void {
    const id = info.path;
    // Refs accumulate ("insert or replace into Refs"), as re-registration does in Nix.
    for (const r of this.newRefs(info)) this.addEdge(id, r);
    if (info.deriver !== undefined) Atomics.store(this.L.paths[P.deriver]!, id, info.deriver);
    if (info.narSize !== undefined && !(Atomics.load(this.flags, id) & PF.onDisk)) this.L.paths[P.size]![id] = info.narSize;
    if (info.outputs && !(Atomics.load(this.flags, id) & PF.hasOutputs)) {
      const firstOutput = this.L.paths[P.firstOutput]!;
      for (const o of [...new Set(info.outputs)].reverse()) {
        const e = this.allocEdge();
        this.eFrom[e] = id;
        this.eTo[e] = o;
        this.eNextIn[e] = -1; // not a reference: no referrer list holds it
        this.eNextOut[e] = firstOutput[id]!;
        firstOutput[id] = e;
      }
      Atomics.or(this.flags, id, PF.hasOutputs);
    }
  }

  /** An edge slot from the free list or the bump pointer (reserveEdges checked there is room). */
  private allocEdge(): number {
    const h = this.L.header;
    let e = h[H.edgeFree]!;
    if (e >= 0) h[H.edgeFree] = this.eNextOut[e]!;
    else e = h[H.edgeBump]!++;
    h[H.edgeCount]!++;
    return e;
  }

  private addEdge(from: number, to: number): void {
    const e = this.allocEdge();
    this.eFrom[e] = from;
    this.eTo[e] = to;
    this.eNextOut[e] = this.firstOut[from]!;
    this.firstOut[from] = e;
    this.eNextIn[e] = this.firstIn[to]!;
    this.firstIn[to] = e;
  }

  /**
   * `invalidatePathChecked`: refuses with PathInUse while a valid referrer other
   * than the path itself exists; otherwise drops the row and its Refs (cascade).
   * Returns false when the path was not valid (nothing to do).
   */
  invalidatePathChecked(id: PathId): boolean {
    this.lock();
    try {
      if (!this.isValid(id)) return false;
      const others = this.referrersUnlocked(id).filter((r) => r !== id && this.isValid(r));
      if (others.length > 0) {
        // showPaths prints a StorePathSet: sorted.
        throw new PathInUseError(this.paths.storePath(id), others.map((r) => this.paths.storePath(r)).sort());
      }
      // Clear validity first: a lock-free reader must never see a valid path without its refs.
      Atomics.and(this.flags, id, ~(PF.valid | PF.hasOutputs));
      // The deriver is a column of the ValidPaths row: it goes with the row.
      Atomics.store(this.L.paths[P.deriver]!, id, -1);
      for (let e = this.firstOut[id]!; e >= 0; ) {
        const next = this.eNextOut[e]!;
        this.unlinkIn(e);
        this.freeEdge(e);
        e = next;
      }
      this.firstOut[id] = -1;
      const firstOutput = this.L.paths[P.firstOutput]!;
      for (let e = firstOutput[id]!; e >= 0; ) {
        const next = this.eNextOut[e]!;
        this.freeEdge(e);
        e = next;
      }
      firstOutput[id] = -1;
      Atomics.sub(this.L.header, H.validCount, 1);
      Atomics.add(this.L.header, H.dbGeneration, 1);
      return true;
    } finally {
      this.unlock();
    }
  }

  /** Removes edge e from its target's referrer list (singly linked: walk it). */
  private unlinkIn(e: number): void {
    const to = this.eTo[e]!;
    if (this.firstIn[to] === e) {
      this.firstIn[to] = this.eNextIn[e]!;
      return;
    }
    for (let p = this.firstIn[to]!; p >= 0; p = this.eNextIn[p]!) {
      if (this.eNextIn[p] === e) {
        this.eNextIn[p] = this.eNextIn[e]!;
        return;
      }
    }
  }

  private freeEdge(e: number): void {
    const h = this.L.header;
    this.eNextOut[e] = h[H.edgeFree]!;
    h[H.edgeFree] = e;
    h[H.edgeCount]!--;
  }

  /**
   * The first valid path with a reference that is not valid, or null. One
   * transaction: a scan outside the lock could pair a path's references with
   * validity read after later commits, and report a violation that never existed.
   */
  closureViolation(): { path: PathId; reference: PathId } | null {
    return this.read(() => {
      const n = this.paths.count();
      for (let p = 0; p < n; p++) {
        if (!this.isValid(mintPathId(p))) continue;
        for (let e = this.firstOut[p]!; e >= 0; e = this.eNextOut[e]!) {
          const r = mintPathId(this.eTo[e]!);
          if (!this.isValid(r)) return { path: mintPathId(p), reference: r };
        }
      }
      return null;
    });
  }

  /** All valid paths, in id order (tests and reports). */
  validPaths(): PathId[] {
    const out: PathId[] = [];
    const n = this.paths.count();
    for (let i = 0; i < n; i++) if (Atomics.load(this.flags, i) & PF.valid) out.push(mintPathId(i));
    return out;
  }
}
