/**
 * LocalStore::collectGarbage (nix-gc-protocol.md §3): take gc.lock exclusively,
 * serve the roots socket, read permanent then temporary roots, and delete
 * unreachable paths referrers-first, with an interleaving point wherever Nix
 * can be interrupted. Switches select the 2.8 / ≤2.34 / 2.35 deletion loop.
 */
import { PathInUseError, RootraceError, StillAliveError, StoiError, isRootraceError } from '../messages/errors.js';
import { mintPathId, type OfdId, type PathId } from '../messages/ids.js';
import type { GcPhase } from '../messages/inspect.js';
import { spendOn, type ActorContext } from './context.js';
import { Shared, startRootsServer, type RootsServer } from './rootsServer.js';
import { liveTempRootHolder } from './invariants.js';
import { isPidName, tempRootsFileName } from '../store/index.js';
import type { StateLock } from './stateLock.js';

export type GcAction = 'deleteDead' | 'returnDead' | 'returnLive' | 'deleteSpecific';

export interface GcOptions {
  readonly action: GcAction;
  /** For deleteSpecific: the paths to delete. */
  readonly paths?: readonly PathId[];
  readonly maxFreed: number;
  /** A name for this run in logs and events (`gc#1`, `auto-gc@W3#1`). */
  readonly run: string;
}

export interface GcResult {
  readonly deleted: readonly string[];
  readonly bytesFreed: number;
  readonly dead: readonly string[];
  readonly live: readonly string[];
}

class GcLimitReached extends Error {}

/**
 * `state`: the `_state` mutex of the LocalStore this GC runs on (the process's
 * own; for an auto-GC, the thread's handle on its process's). isValidPath,
 * queryReferrers and invalidatePathChecked take it (local-store.cc:951, :990,
 * :1510 @2.8.0), so a thread of the same process holding it blocks the GC.
 */
export async function collectGarbage(ctx: ActorContext, options: GcOptions, state: StateLock): Promise<GcResult> {
  const { store, switches, settings } = ctx;
  const run = options.run;
  const phase = (p: GcPhase): void => ctx.emit({ type: 'inspect.gc.phase', gcRun: run, phase: p });
  const log = (text: string, level: 'info' | 'talkative' | 'debug' | 'error' = 'info'): void =>
    ctx.emit({ type: 'inspect.log', level, text });
  const deleting = options.action === 'deleteDead' || options.action === 'deleteSpecific';
  const wholeStore = options.action !== 'deleteSpecific';
  const keepDerivations = wholeStore && settings.keepDerivations;
  const keepOutputs = wholeStore && settings.keepOutputs;

  // Step 2: a *new* fd on gc.lock, LOCK_EX, blocking.
  const gcOfd = store.flock.open(ctx.pid, store.gcLockFile);
  if (!store.flock.tryLock(gcOfd, 'exclusive')) {
    phase('waiting-lock');
    log('waiting for the big garbage collector lock...');
    await ctx.lock(gcOfd, 'exclusive', 'gc.lock');
  }
  phase('locked');
  await ctx.step('gc.locked');

  // Step 4: the roots server. bind() unlinks the old socket file first (util.cc:1831 @2.8.0,
  // unix-domain-socket.cc:187 @2.35.2): until the listen below, clients get ENOENT.
  // ≤2.4 have no socket: live files stay read-locked by this GC instead (gc.cc:203–255 @2.3).
  const socket = switches.tempRootProtocol === 'socket';
  let server: RootsServer | null = null;
  if (socket) {
    store.setGcSocketExists(false);
    await ctx.step('gc.bind');
    server = startRootsServer(ctx, run);
    phase('socket-up');
    await ctx.step('gc.socketUp');
  }
  const shared = server?.shared ?? new Shared();
  /** ≤2.4: the read-locked descriptions of live temp-roots files, kept open until the GC ends. */
  const heldFiles: OfdId[] = [];

  const roots = new Set<number>();
  const alive = new Set<number>();
  const dead = new Set<number>();
  const deleted: string[] = [];
  let bytesFreed = 0;
  let aborted: unknown = null;

  try {
    // Step 5: permanent roots, read once.
    log('finding garbage collector roots...');
    await spendOn(ctx, 'gcRoots'); // gcroots/, profiles/, the /proc scan, the database
    for (const r of store.roots.list()) {
      const target = store.storePath(r.path);
      if (r.kind === 'indirect' && !r.userLinkExists) {
        log(`removing stale link from '${r.link}' to '${target}'`);
        store.roots.removeSlot(r.slot);
        continue;
      }
      if (store.db.isValid(r.path)) roots.add(r.path);
      else log(`skipping invalid root from '${r.link}' to '${target}'`);
    }
    phase('perm-roots');
    await ctx.step('gc.permRoots');

    // Step 6: findTempRoots.
    for (const f of store.tempRoots.list()) {
      // gc.cc:171 @2.34.0: `pid_t pid = std::stoi(name)` before anything else; a unique 2.35.0 name throws.
      if (switches.tempRootsNameStoi && !isPidName(f.name)) throw new StoiError();
      const ofd = store.tempRoots.openExisting(ctx.pid, f.name);
      if (ofd === null) continue; // vanished meanwhile
      try {
        if (store.flock.tryLock(ofd, 'exclusive')) {
          // The owner is dead: a live owner holds LOCK_EX for its whole life.
          log(`removing stale temporary roots file '/nix/var/nix/temproots/${tempRootsFileName(f.name)}'`);
          store.tempRoots.unlink(f.name);
          store.tempRoots.writeDMarker(ofd);
          ctx.emit({ type: 'inspect.tempRoots.stale', file: f.name, gcRun: run });
        } else {
          if (!socket) {
            // gc.cc:239 @2.3: a read lock keeps the owner from upgrading, so it blocks in addTempRoot.
            await ctx.lock(ofd, 'shared', `temproots/${tempRootsFileName(f.name)}`);
            heldFiles.push(ofd);
          }
          for (const p of store.tempRoots.read(ofd)) {
            const h = store.paths.hashPart(p);
            if (h) shared.tempRoots.add(h);
            roots.add(p);
          }
        }
      } finally {
        if (!heldFiles.includes(ofd)) store.flock.close(ofd);
      }
      await ctx.step('gc.tempRootsFile');
    }
    phase('temp-roots');
    await ctx.step('gc.tempRoots');

    // computeFSClosure: its path-info queries take `_state`; one hold stands for them.
    const markAlive = (p: number): Promise<void> => state.run(() => markAliveNow(p));
    const markAliveNow = (p: number): void => {
      const todo = [p];
      while (todo.length) {
        const x = todo.pop()!;
        if (alive.has(x)) continue;
        alive.add(x);
        const id = mintPathId(x);
        if (!store.db.isValid(id)) continue;
        todo.push(...store.db.references(id));
        if (keepOutputs && store.paths.isDerivation(id)) {
          for (const o of store.db.outputs(id)) if (store.db.isValid(o)) todo.push(o);
        }
        if (keepDerivations) todo.push(...store.db.validDerivers(id));
      }
    };

    const deleteFromStore = (p: PathId): void => {
      const path = store.storePath(p);
      log(`deleting '${path}'`, 'talkative');
      const bytes = store.disk.remove(p);
      deleted.push(path);
      bytesFreed += bytes;
      ctx.emit({ type: 'inspect.gc.delete', gcRun: run, path, bytes, free: store.disk.freeSpace(), used: store.disk.usedBytes() });
      if (bytesFreed > options.maxFreed) {
        log(`deleted more than ${options.maxFreed} bytes; stopping`);
        throw new GcLimitReached();
      }
    };

    const checkSafety = (p: PathId): void => {
      const holder = liveTempRootHolder(store, p);
      const hash = store.paths.hashPart(p);
      if (holder || (hash && shared.acked.has(hash))) {
        const why = holder ? `it is in temproots/${holder.file} of live process ${holder.owner}` : 'its root was acked over the roots socket';
        ctx.emit({ type: 'inspect.finding', kind: 'gc-safety', path: store.storePath(p), message: `GC safety violated: deleted '${store.storePath(p)}' although ${why}` });
      }
    };

    const specific = new Set<number>(options.paths ?? []);
    /** releasePending / resetPending (gc.cc:651 @2.8.0, :742 @2.35.2): clear `pending` and wake the roots server. */
    const releasePending = (): void => {
      shared.pending = null;
      shared.notify();
    };
    const maybeDeleteReferrersClosure = async (start: PathId): Promise<void> => {
      const visited: number[] = [];
      const seen = new Set<number>([start]);
      const todo: number[] = [start];
      try {
        while (todo.length) {
          const p = mintPathId(todo.shift()!);
          await ctx.step('gc.visit');
          await spendOn(ctx, 'gcVisit');
          if (alive.has(p)) {
            alive.add(start);
            return;
          }
          if (dead.has(p)) continue;
          visited.push(p);
          if (roots.has(p)) {
            ctx.emit({ type: 'inspect.gc.keep', gcRun: run, path: store.storePath(p), reason: 'root' });
            alive.add(start);
            await markAlive(p);
            return;
          }
          if (!wholeStore && !specific.has(p)) return;
          const hash = store.paths.hashPart(p);
          if (shared.tempRoots.has(hash)) {
            ctx.emit({ type: 'inspect.gc.keep', gcRun: run, path: store.storePath(p), reason: 'temporary root' });
            alive.add(start);
            await markAlive(p);
            return;
          }
          // gc.cc:705 @2.8.0: assigned under `_shared`, no notify. A thread can be preempted before it next takes `_state`.
          shared.pending = hash;
          await ctx.step('gc.pending');
          const next = await state.run(() => {
            if (!store.db.isValid(p)) return [];
            const out: number[] = [...store.db.referrers(p)];
            if (keepDerivations && store.paths.isDerivation(p)) {
              for (const o of store.db.outputs(p)) if (store.db.isValid(o) && store.db.deriver(o) === p) out.push(o);
            }
            if (keepOutputs) out.push(...store.db.validDerivers(p));
            return out;
          });
          for (const q of next) {
            if (!seen.has(q)) {
              seen.add(q);
              todo.push(q);
            }
          }
        }
        // topoSortPaths queries each path's info: under `_state`.
        for (const p of await state.run(() => topoSortReferrersFirst(ctx, visited))) {
          if (dead.has(p)) continue;
          dead.add(p);
          if (!deleting) continue;
          const id = mintPathId(p);
          const hash = store.paths.hashPart(id);
          if (switches.gcDeletionRecheck) {
            // gc.cc:729–738 @2.35.2: a root that arrived since the BFS saves the path.
            if (hash && shared.tempRoots.has(hash)) {
              log(`not deleting '${store.storePath(id)}' because it became a temporary root after initial scan`, 'debug');
              dead.delete(p);
              await markAlive(p);
              continue;
            }
            shared.pending = hash;
          }
          try {
            await ctx.step('gc.invalidate');
            try {
              await state.run(() => store.db.invalidatePathChecked(id));
            } catch (e) {
              if (!(e instanceof PathInUseError) || !switches.gcCatchPathInUse) throw e;
              // gc.cc:745 @2.35.2 (#11922): nothing was deleted.
              log(`BUG: ${e.message}`, 'error');
              continue;
            }
            await ctx.step('gc.deleteFromDisk');
            await spendOn(ctx, 'gcDelete');
            if (store.disk.exists(id)) {
              // Deleted means deleted (§12.2): the row went, and now the files go.
              checkSafety(id);
              deleteFromStore(id);
            }
          } finally {
            if (switches.gcDeletionRecheck) releasePending();
          }
        }
      } finally {
        releasePending();
      }
    };

    if (!wholeStore) {
      for (const p of options.paths ?? []) {
        await maybeDeleteReferrersClosure(p);
        if (options.action === 'deleteSpecific' && !dead.has(p)) {
          throw new StillAliveError(store.storePath(p), switches.stillAliveReferrersHint);
        }
      }
    } else if (options.maxFreed > 0) {
      phase('deleting');
      log('deleting garbage...');
      for (const p of store.disk.list()) {
        if (!store.disk.exists(p)) continue;
        if (store.paths.isStorePathName(p)) await maybeDeleteReferrersClosure(p);
        else if (deleting && !store.paths.name(p).startsWith('link:')) {
          await ctx.step('gc.deleteJunk');
          deleteFromStore(p);
        }
      }
    }
    if (deleting) {
      await ctx.step('gc.links');
      phase('links');
      log('deleting unused links...');
    }
  } catch (e) {
    if (!(e instanceof GcLimitReached)) aborted = e;
  } finally {
    phase('stopping');
    await server?.stop();
    for (const o of heldFiles) store.flock.close(o); // fds.clear() (gc.cc:850 @2.3)
    store.flock.close(gcOfd);
    phase(aborted ? 'aborted' : 'done');
  }
  if (aborted) {
    if (isRootraceError(aborted)) throw aborted;
    throw aborted instanceof Error ? aborted : new RootraceError('rootrace.internal', 'collectGarbage failed');
  }
  return {
    deleted,
    bytesFreed,
    dead: [...dead].map((p) => store.storePath(mintPathId(p))),
    live: [...alive].map((p) => store.storePath(mintPathId(p))),
  };
}

/** topoSortPaths: referrers before their references (so a path is deleted before what it uses). */
function topoSortReferrersFirst(ctx: ActorContext, paths: readonly number[]): number[] {
  const set = new Set(paths);
  const done = new Set<number>();
  const order: number[] = [];
  const visit = (p: number): void => {
    if (done.has(p)) return;
    done.add(p);
    for (const r of ctx.store.db.referrers(mintPathId(p))) if (r !== p && set.has(r)) visit(r);
    order.push(p);
  };
  for (const p of paths) visit(p);
  // visit() emits referrers before the path: that is already referrers-first.
  return order;
}
