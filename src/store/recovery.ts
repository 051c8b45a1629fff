/**
 * What the coordinator does for the store's internal mutexes when a thread
 * dies: the robust-mutex half of "the kernel cleans up after a dead process"
 * (the flock half is Flock.releaseAllLocksOf). A terminated worker stops at
 * V8's next interrupt check (a function entry or a loop back-edge), so a
 * critical section can be cut anywhere between two calls. Per mutex, what may
 * be left, and what is repaired here:
 *
 * - intern (PathTable.intern): the record is written first and published by two
 *   consecutive stores, `pathCount` then the bucket head. Cut before them: the
 *   unpublished slot is reused and only the name bytes leak. Cut between them:
 *   the path has an id nobody can find, and a later intern of the same name
 *   would mint a second id (breaking "same name, same id"): rolled forward here
 *   by linking the last record into its bucket.
 * - db (ValidityDb transactions): validity is published last and cleared
 *   first, so a cut transaction leaves edges on a path that is not valid (every
 *   reader filters on validity; a re-registration deduplicates them) and edge
 *   slots that leak. Not repaired, and a divergence from Nix, whose SQLite
 *   rolls the transaction back: a batch of several paths cut inside its
 *   publishing loop leaves a prefix of it valid. `validCount` may be off and
 *   `dbGeneration` not bumped: both are recomputed/bumped here.
 * - dir (temproots/, gcroots/, open file descriptions): a cut allocation or
 *   free leaks its slot (capacity only). A cut append leaves an entry linked
 *   past the file's published `count`, which readers ignore: Nix's "a
 *   half-written last entry without its trailing NUL is ignored" (protocol
 *   notes §1.4); only the dead process appended to its file, so nothing
 *   follows it. A description cut between its slot and its `opens` count keeps
 *   its file from being freed (a leak).
 */
import { H, PF, PathField as P, STORE_MUTEXES, headerOf, mapLayout, readCapacities, type Layout, type StoreMutexName } from './layout.js';
import { recoverMutexes } from './mutex.js';

const SLOTS = Object.values(STORE_MUTEXES);

/** Frees and repairs every store mutex that thread `owner` died holding; returns their names. */
export function recoverStoreMutexes(sab: SharedArrayBuffer, owner: number): StoreMutexName[] {
  let L: Layout | null = null;
  const layout = (): Layout => (L ??= mapLayout(sab, readCapacities(sab)));
  // Each repair runs holding the mutex it repairs, taken over from the dead thread.
  const freed = recoverMutexes(headerOf(sab), SLOTS, owner, (slot) => {
    if (slot === H.internLock) repairIntern(layout());
    if (slot === H.dbLock) repairDb(layout());
  });
  return (Object.keys(STORE_MUTEXES) as StoreMutexName[]).filter((n) => freed.includes(STORE_MUTEXES[n]));
}

/** Who holds each store mutex now (owner identities), for the watchdog. */
export function storeMutexHolders(sab: SharedArrayBuffer): { readonly mutex: StoreMutexName; readonly owner: number }[] {
  const h = headerOf(sab);
  const out: { mutex: StoreMutexName; owner: number }[] = [];
  for (const [name, slot] of Object.entries(STORE_MUTEXES) as [StoreMutexName, number][]) {
    // A snapshot for a report: the word may change right after.
    const w = Atomics.load(h, slot);
    if (w !== 0) out.push({ mutex: name, owner: w >>> 1 });
  }
  return out;
}

/** Links the last published path into its bucket if the dying intern never did. Runs holding the intern mutex. */
function repairIntern(L: Layout): void {
  // The count is published before the bucket head, so only the last record can be unlinked.
  const id = Atomics.load(L.header, H.pathCount) - 1;
  if (id < 0) return;
  const b = L.paths[P.hash]![id]! & (L.hashBuckets - 1);
  const next = L.paths[P.next]!;
  // Reachable from its bucket head: the publish completed (nobody else writes the chain: we hold the mutex).
  for (let p = Atomics.load(L.buckets, b); p >= 0; p = next[p]!) if (p === id) return;
  // next[id] already holds the head it saw: nobody changed the bucket while the dead thread held the mutex.
  Atomics.store(L.buckets, b, id);
}

/** Recomputes the valid-path count and tells observers the DB may have changed. Runs holding the db mutex. */
function repairDb(L: Layout): void {
  const flags = L.paths[P.flags]!;
  // Every published path; validity flags change only under the db mutex, which we hold.
  const n = Atomics.load(L.header, H.pathCount);
  let valid = 0;
  for (let i = 0; i < n; i++) if (Atomics.load(flags, i) & PF.valid) valid++;
  // The count a cut transaction may have left stale.
  Atomics.store(L.header, H.validCount, valid);
  // Bumped, as a committed transaction would: a watcher of the generation re-reads.
  Atomics.add(L.header, H.dbGeneration, 1);
}
