/**
 * The store directory on disk: entries present whether valid or not (including
 * `X.lock`, `X.chroot` and `tmp-*` junk), their sizes, deletion with bytes-freed
 * accounting, and the free-space figure that auto-GC reads.
 */
import { mintPathId, type PathId } from '../messages/ids.js';
import { B, PF, PathField as P, type Layout } from './layout.js';
import type { PathTable } from './pathTable.js';

export class Disk {
  private readonly flags: Int32Array;
  private readonly size: Int32Array;

  constructor(
    private readonly L: Layout,
    private readonly paths: PathTable,
  ) {
    this.flags = L.paths[P.flags]!;
    this.size = L.paths[P.size]!;
  }

  exists(id: PathId): boolean {
    return (Atomics.load(this.flags, id) & PF.onDisk) !== 0;
  }

  /** Writes an entry (a store path's contents, or junk) of `bytes` bytes. Idempotent. */
  create(id: PathId, bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0x7fff_ffff) throw new RangeError(`entry size out of range: ${bytes}`);
    // The entry is sized before it becomes visible, so a concurrent delete frees exactly what was added.
    if (this.exists(id)) return;
    Atomics.store(this.size, id, bytes);
    const old = Atomics.or(this.flags, id, PF.onDisk);
    if ((old & PF.onDisk) === 0) Atomics.add(this.L.big, B.usedBytes, BigInt(bytes));
  }

  /**
   * Deletes an entry (recursively, in Nix). Returns the bytes Nix would count as
   * freed: the entry's regular-file bytes; 0 if it was already gone.
   */
  remove(id: PathId): number {
    // Atomics.and makes deletion idempotent across threads: only the clearing thread accounts.
    const old = Atomics.and(this.flags, id, ~PF.onDisk);
    if ((old & PF.onDisk) === 0) return 0;
    const bytes = Atomics.load(this.size, id);
    Atomics.sub(this.L.big, B.usedBytes, BigInt(bytes));
    return bytes;
  }

  sizeOf(id: PathId): number {
    return Atomics.load(this.size, id);
  }

  /** `readdir` of the store directory: entries on disk, in directory (creation) order. */
  list(): PathId[] {
    const out: PathId[] = [];
    const n = this.paths.count();
    for (let i = 0; i < n; i++) if (Atomics.load(this.flags, i) & PF.onDisk) out.push(mintPathId(i));
    return out;
  }

  usedBytes(): number {
    return Number(Atomics.load(this.L.big, B.usedBytes));
  }

  totalBytes(): number {
    return Number(Atomics.load(this.L.big, B.totalBytes));
  }

  setTotalBytes(n: number): void {
    Atomics.store(this.L.big, B.totalBytes, BigInt(Math.max(0, Math.floor(n))));
  }

  /** What `statvfs` (or the test hook file) reports as available. */
  freeSpace(): number {
    const override = Atomics.load(this.L.big, B.freeOverride);
    if (override >= 0n) return Number(override);
    return Math.max(0, this.totalBytes() - this.usedBytes());
  }

  /** Like Nix's `_NIX_TEST_FREE_SPACE_FILE`: a fixed figure, or null to read total − used. */
  setFreeSpaceOverride(n: number | null): void {
    Atomics.store(this.L.big, B.freeOverride, n === null ? -1n : BigInt(Math.max(0, Math.floor(n))));
  }
}
