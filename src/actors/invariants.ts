/**
 * Invariants the simulator checks while Nix code runs (DESIGN.md §6). They read
 * the shared store directly, independent of the GC's own bookkeeping.
 */
import type { PathId } from '../messages/ids.js';
import type { Store } from '../store/index.js';

/**
 * GC safety: is `path` protected by a temp root of a live process right now?
 * A file in temproots/ counts as live while its creator holds a flock on it:
 * exclusive with the socket protocol, shared (or, mid-append, exclusive) with
 * the ≤2.4 one — never the collector's own probe or read lock. Matching is by
 * hash part, as Nix's is.
 */
export function liveTempRootHolder(store: Store, path: PathId): { file: number; owner: number } | null {
  const hash = store.paths.hashPart(path);
  if (!hash) return null;
  const files = store.tempRoots.list();
  const holders = store.flock.holders().filter((h) => h.file !== store.gcLockFile);
  for (const h of holders) {
    const live = files.find((f) => f.file === h.file && f.creator === h.owner);
    if (!live) continue;
    // The owner may unlink it (its destructor) after the list: then its roots protect nothing.
    for (const r of store.tempRoots.readLinked(h.file, h.owner) ?? []) {
      if (store.paths.hashPart(r) === hash) return { file: live.name, owner: h.owner };
    }
  }
  return null;
}
