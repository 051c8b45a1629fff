/**
 * One `LocalStore` object of one process: its temp-roots file, its shared fd on
 * gc.lock, its cached roots-socket connection and its auto-GC state. The
 * methods follow Nix's code step by step (nix-gc-protocol.md §1, §4, §5.4),
 * with `ctx.step` wherever another process could act in between.
 */
import { ConnectFailed } from '../messages/addresses.js';
import { ConnectionResetError, SocketConnectError, isRootraceError } from '../messages/errors.js';
import type { OfdId, PathId } from '../messages/ids.js';
import type { TextAddition } from '../messages/daemon.js';
import type { RootsReply, RootsRequest } from '../messages/roots.js';
import { spendOn, type ActorContext, type Connection } from './context.js';
import { AutoGc } from './autoGc.js';
import { StateLock } from './stateLock.js';
import { uniqueTempRootsName } from '../store/index.js';

/** 2.5–2.9 keep the fd of a failed connect (gc.cc:124–138 @2.8.0): writes to it fail with ENOTCONN. */
const UNCONNECTED = 'unconnected';

export const GC_SOCKET_PATH = '/nix/var/nix/gc-socket/socket';

export class LocalStore {
  private tempRootsOfd: OfdId | null = null;
  private gcLockOfd: OfdId | null = null;
  private rootsConn: Connection<RootsReply, RootsRequest> | typeof UNCONNECTED | null = null;
  readonly autoGc: AutoGc;
  /** `_state`: shared with this store's auto-GC thread. */
  readonly state: StateLock;
  /** `fnTempRoots` (local-store.cc:162 @2.8.0): temproots/<pid>, or 2.35.0's unique name. */
  private readonly tempRootsName: number;

  /** `index`: which LocalStore of its process this is (0: the main store; 1: an eval store, …). */
  constructor(
    private readonly ctx: ActorContext,
    index = 0,
  ) {
    this.state = new StateLock(ctx, null);
    this.autoGc = new AutoGc(ctx, this.state);
    this.tempRootsName = ctx.switches.tempRootsFileName === 'unique' ? uniqueTempRootsName(ctx.pid, index) : ctx.pid;
  }

  /** Paths this store has rooted so far (its temp-roots file), for reports. */
  rootedPaths(): string[] {
    if (this.tempRootsOfd === null) return [];
    return this.ctx.store.tempRoots.read(this.tempRootsOfd).map((id) => this.ctx.store.storePath(id));
  }

  /** createTempRootsFile (§1.1): unlink a leftover, create, LOCK_EX, and start over if the GC got there first. */
  private async createTempRootsFile(): Promise<OfdId> {
    if (this.tempRootsOfd !== null) return this.tempRootsOfd;
    const { store, pid } = this.ctx;
    const name = this.tempRootsName;
    for (;;) {
      await this.ctx.step('tempRoots.create');
      // Pids are unique among live processes: an existing file is stale (gc.cc:63 @2.35.2). A second
      // LocalStore of this process unlinks the first one's file here (§12.6).
      if (store.tempRoots.unlink(name)) this.ctx.emit({ type: 'inspect.tempRoots.unlink', file: name, reason: 'restart' });
      const ofd = store.tempRoots.openOrCreate(pid, name);
      await this.ctx.step('tempRoots.lock');
      await this.ctx.lock(ofd, 'exclusive', `temproots/${pid}`);
      // Non-empty means a GC judged the file stale between our create and our lock and wrote `d`.
      if (store.tempRoots.isEmpty(ofd)) {
        this.tempRootsOfd = ofd;
        this.ctx.emit({ type: 'inspect.tempRoots.create', file: name });
        return ofd;
      }
      store.flock.close(ofd);
    }
  }

  /**
   * LocalStore::addTempRoot (gc.cc:80–158 @2.8.0, :84–158 @2.35.2). ≤2.12.0 hold
   * `_state` for the whole call, across the socket wait (gc.cc:82 @2.8.0).
   */
  async addTempRoot(path: PathId): Promise<void> {
    if (!this.ctx.switches.addTempRootHoldsState) return this.addTempRootLocked(path);
    await this.state.acquire();
    try {
      await this.addTempRootLocked(path);
    } finally {
      this.state.release();
    }
  }

  private async addTempRootLocked(path: PathId): Promise<void> {
    if (this.ctx.switches.tempRootProtocol === 'blocking') return this.addTempRootBlocking(path);
    const { store } = this.ctx;
    const ofd = await this.createTempRootsFile();
    this.gcLockOfd ??= store.flock.open(this.ctx.pid, store.gcLockFile);
    const full = store.storePath(path);
    for (;;) {
      await this.ctx.step('addTempRoot.trySharedLock');
      const shared = store.flock.tryLock(this.gcLockOfd, 'shared');
      let via: 'file' | 'socket' | 'file-undelivered' = 'file';
      let why: { name: string; value: string } | undefined;
      if (!shared) {
        // A GC holds LOCK_EX: the root must reach it through the socket before we return.
        const delivered = await this.sendToGc(full);
        if (delivered === 'restart') continue;
        via = delivered === 'acked' ? 'socket' : 'file-undelivered';
        if (delivered === 'undelivered-enoent') why = { name: 'rootsSocketEnoent', value: this.ctx.switches.rootsSocketEnoent };
        if (delivered === 'undelivered-reset') why = { name: 'rootsSocketReset', value: this.ctx.switches.rootsSocketReset };
      }
      await this.ctx.step('addTempRoot.append');
      store.tempRoots.append(ofd, path);
      if (shared) store.flock.unlock(this.gcLockOfd);
      this.ctx.emit({ type: 'inspect.tempRoot.add', path: full, via, ...(why ? { switch: why } : {}) });
      return;
    }
  }

  /**
   * ≤2.4 (gc.cc:66–123 @2.3): the file is created under a shared gc.lock (so a
   * new file waits for a running GC) and kept read-locked; each root upgrades
   * that lock to write — blocking while a GC holds its read lock on the file —
   * appends, and downgrades. flock conversion is not atomic (the old lock goes
   * first), as in Linux.
   */
  private async addTempRootBlocking(path: PathId): Promise<void> {
    const { store, pid } = this.ctx;
    if (this.tempRootsOfd === null) {
      const name = this.tempRootsName;
      for (;;) {
        // openGCLock(ltRead): blocking, "waiting for the big garbage collector lock..." while a GC runs.
        const gcOfd = store.flock.open(pid, store.gcLockFile);
        if (!store.flock.tryLock(gcOfd, 'shared')) {
          this.ctx.emit({ type: 'inspect.log', level: 'error', text: 'waiting for the big garbage collector lock...' });
          await this.ctx.lock(gcOfd, 'shared', 'gc.lock');
        }
        await this.ctx.step('tempRoots.create');
        if (store.tempRoots.unlink(name)) this.ctx.emit({ type: 'inspect.tempRoots.unlink', file: name, reason: 'restart' });
        const ofd = store.tempRoots.openOrCreate(pid, name);
        store.flock.close(gcOfd);
        await this.ctx.step('tempRoots.lock');
        await this.ctx.lock(ofd, 'shared', `temproots/${name}`);
        if (store.tempRoots.isEmpty(ofd)) {
          this.tempRootsOfd = ofd;
          this.ctx.emit({ type: 'inspect.tempRoots.create', file: name });
          break;
        }
        store.flock.close(ofd);
      }
    }
    const ofd = this.tempRootsOfd;
    await this.ctx.step('addTempRoot.upgrade');
    await this.ctx.lock(ofd, 'exclusive', 'own temp-roots file (upgrade)');
    await this.ctx.step('addTempRoot.append');
    store.tempRoots.append(ofd, path);
    this.ctx.emit({ type: 'inspect.tempRoot.add', path: store.storePath(path), via: 'file' });
    await this.ctx.lock(ofd, 'shared', 'own temp-roots file (downgrade)');
  }

  private async sendToGc(full: string): Promise<'acked' | 'restart' | 'undelivered-enoent' | 'undelivered-reset'> {
    const { switches } = this.ctx;
    if (this.rootsConn === null) {
      try {
        this.rootsConn = await this.ctx.connect<RootsReply, RootsRequest>({ kind: 'gcSocket' });
        this.ctx.emit({ type: 'inspect.roots.connect', result: 'ok' });
      } catch (e) {
        if (!(e instanceof ConnectFailed)) throw e;
        this.ctx.emit({ type: 'inspect.roots.connect', result: e.errno });
        if (e.errno === 'ENOENT' && switches.rootsSocketEnoent === 'error') {
          // 2.10–2.19: the missing `throw;` was added (754cd53faf), ENOENT not yet retried (c5fdbdae32).
          throw new SocketConnectError(GC_SOCKET_PATH, 'No such file or directory');
        }
        if (e.errno === 'ENOENT' && switches.rootsSocketEnoent === 'swallow') {
          // gc.cc:124–138 @2.8.0: only ECONNREFUSED closes the fd; ENOENT is swallowed and the fd kept.
          this.rootsConn = UNCONNECTED;
        } else {
          if (switches.rootsSocketRetryMs > 0) await this.ctx.sleep(switches.rootsSocketRetryMs);
          else await this.ctx.step('addTempRoot.busyRetry');
          return 'restart';
        }
      }
    }
    await this.ctx.step('addTempRoot.send');
    if (this.rootsConn === UNCONNECTED) {
      // writeFull on the unconnected fd: ENOTCONN, not EPIPE, swallowed (gc.cc:148–155 @2.8.0). The GC never hears of it.
      return 'undelivered-enoent';
    }
    this.ctx.emit({ type: 'inspect.roots.send', path: full });
    this.rootsConn.send({ type: 'roots.add', path: full });
    const reply = await this.rootsConn.receive();
    if (reply === null) {
      // EOF / EPIPE: the GC shut its server down; start over.
      this.dropRootsConn();
      return 'restart';
    }
    if (reply.type === 'roots.reset') {
      this.dropRootsConn();
      switch (switches.rootsSocketReset) {
        case 'restart': // 2.12+ (#7353)
          return 'restart';
        case 'throw': // 2.10–2.11: rethrown
          throw new ConnectionResetError();
        case 'swallow': // ≤2.9: not EPIPE, swallowed; the root goes to the file only
          return 'undelivered-reset';
      }
    }
    return 'acked';
  }

  private dropRootsConn(): void {
    if (this.rootsConn !== null && this.rootsConn !== UNCONNECTED) this.rootsConn.close();
    this.rootsConn = null;
  }

  /**
   * LocalStore::addToStoreFromDump / addTextToStore (§5.4): root the destination,
   * check, auto-GC (sync) under the path lock, write, register.
   */
  async addToStoreFromDump(add: TextAddition, dst: PathId): Promise<void> {
    const { store, switches } = this.ctx;
    await this.addTempRoot(dst);
    if (switches.rootReferencesInAddToStore) {
      for (const r of add.references) await this.addTempRoot(store.intern(r));
    }
    await this.ctx.step('addToStore.isValid');
    if (await this.isValidPath(dst)) return;
    // PathLocks on the real path: Nix creates `<path>.lock` next to it.
    const lockName = `${store.paths.name(dst)}.lock`;
    const lockId = store.intern(lockName);
    store.disk.create(lockId, 0);
    try {
      await this.ctx.step('addToStore.recheck');
      if (await this.isValidPath(dst)) return;
      store.disk.remove(dst); // deletePath(realPath): a leftover invalid copy
      await this.autoGc.autoGC(true);
      await this.ctx.step('addToStore.write');
      await spendOn(this.ctx, 'addToStore');
      store.disk.create(dst, add.size);
      await this.ctx.step('addToStore.register');
      const refs = add.references.map((r) => store.intern(r));
      await this.state.run(() =>
        store.db.registerValidPaths([
          {
            path: dst,
            references: refs,
            narSize: add.size,
            ...(add.outputs ? { outputs: add.outputs.map((o) => store.intern(o)) } : {}),
          },
        ]),
      );
    } catch (e) {
      if (isRootraceError(e)) store.disk.remove(dst);
      throw e;
    } finally {
      store.disk.remove(lockId);
    }
  }

  /** LocalStore::isValidPath: one query under `_state` (local-store.cc:951 @2.8.0). */
  isValidPath(path: PathId): Promise<boolean> {
    return this.state.run(() => this.ctx.store.db.isValid(path));
  }

  /** ~LocalStore: wait for auto-GC, then close and unlink the temp-roots file. */
  async destroy(): Promise<void> {
    const { store } = this.ctx;
    await this.autoGc.waitOnExit();
    if (this.tempRootsOfd !== null) {
      store.flock.close(this.tempRootsOfd);
      // Unlinks by name: if another store of this process took the name over, it is that one's file that goes.
      const name = this.tempRootsName;
      if (store.tempRoots.unlink(name)) this.ctx.emit({ type: 'inspect.tempRoots.unlink', file: name, reason: 'destructor' });
      this.tempRootsOfd = null;
    }
    if (this.gcLockOfd !== null) store.flock.close(this.gcLockOfd);
    this.gcLockOfd = null;
    this.dropRootsConn();
    this.state.close();
  }
}
