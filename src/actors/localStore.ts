/**
 * One `LocalStore` object of one process: its temp-roots file, its shared fd on
 * gc.lock, its cached roots-socket connection and its auto-GC state. The
 * methods follow Nix's code step by step (nix-gc-protocol.md §1, §4, §5.4),
 * with `ctx.step` wherever another process could act in between.
 */
import { ConnectFailed } from '../messages/addresses.js';
import { SocketConnectError, isRootraceError } from '../messages/errors.js';
import type { OfdId, PathId } from '../messages/ids.js';
import type { TextAddition } from '../messages/daemon.js';
import type { RootsReply, RootsRequest } from '../messages/roots.js';
import type { ActorContext, Connection } from './context.js';
import { AutoGc } from './autoGc.js';

export const GC_SOCKET_PATH = '/nix/var/nix/gc-socket/socket';

export class LocalStore {
  private tempRootsOfd: OfdId | null = null;
  private gcLockOfd: OfdId | null = null;
  private rootsConn: Connection<RootsReply, RootsRequest> | null = null;
  readonly autoGc: AutoGc;

  constructor(private readonly ctx: ActorContext) {
    this.autoGc = new AutoGc(ctx);
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
    for (;;) {
      await this.ctx.step('tempRoots.create');
      // Pids are unique among live processes: an existing file is stale.
      if (store.tempRoots.unlink(pid)) this.ctx.emit({ type: 'inspect.tempRoots.unlink', file: pid, reason: 'restart' });
      const ofd = store.tempRoots.openOrCreate(pid, pid);
      await this.ctx.step('tempRoots.lock');
      await this.ctx.lock(ofd, 'exclusive', `temproots/${pid}`);
      // Non-empty means a GC judged the file stale between our create and our lock and wrote `d`.
      if (store.tempRoots.isEmpty(ofd)) {
        this.tempRootsOfd = ofd;
        this.ctx.emit({ type: 'inspect.tempRoots.create', file: pid });
        return ofd;
      }
      store.flock.close(ofd);
    }
  }

  /** LocalStore::addTempRoot (§1.2). */
  async addTempRoot(path: PathId): Promise<void> {
    const { store } = this.ctx;
    const ofd = await this.createTempRootsFile();
    this.gcLockOfd ??= store.flock.open(this.ctx.pid, store.gcLockFile);
    const full = store.storePath(path);
    for (;;) {
      await this.ctx.step('addTempRoot.trySharedLock');
      const shared = store.flock.tryLock(this.gcLockOfd, 'shared');
      let via: 'file' | 'socket' | 'file-undelivered' = 'file';
      if (!shared) {
        // A GC holds LOCK_EX: the root must reach it through the socket before we return.
        const delivered = await this.sendToGc(full);
        if (delivered === 'restart') continue;
        via = delivered === 'acked' ? 'socket' : 'file-undelivered';
      }
      await this.ctx.step('addTempRoot.append');
      store.tempRoots.append(ofd, path);
      if (shared) store.flock.unlock(this.gcLockOfd);
      this.ctx.emit({ type: 'inspect.tempRoot.add', path: full, via });
      return;
    }
  }

  private async sendToGc(full: string): Promise<'acked' | 'restart' | 'undelivered'> {
    const { switches } = this.ctx;
    if (this.rootsConn === null) {
      try {
        this.rootsConn = await this.ctx.connect<RootsReply, RootsRequest>({ kind: 'gcSocket' });
        this.ctx.emit({ type: 'inspect.roots.connect', result: 'ok' });
      } catch (e) {
        if (!(e instanceof ConnectFailed)) throw e;
        this.ctx.emit({ type: 'inspect.roots.connect', result: e.errno });
        if (e.errno === 'ENOENT' && switches.rootsSocketEnoent === 'error') {
          throw new SocketConnectError(GC_SOCKET_PATH, 'No such file or directory');
        }
        if (e.errno === 'ENOENT' && switches.rootsSocketEnoent === 'swallow') {
          // 2.8.0: the error is swallowed, the write to the unconnected socket fails (ENOTCONN) and is swallowed too.
          return 'undelivered';
        }
        if (switches.rootsSocketRetryMs > 0) await this.ctx.sleep(switches.rootsSocketRetryMs);
        else await this.ctx.step('addTempRoot.busyRetry');
        return 'restart';
      }
    }
    await this.ctx.step('addTempRoot.send');
    this.ctx.emit({ type: 'inspect.roots.send', path: full });
    this.rootsConn.send({ type: 'roots.add', path: full });
    const reply = await this.rootsConn.receive();
    if (reply === null) {
      // EOF / EPIPE / ECONNRESET: the GC shut its server down; start over.
      this.rootsConn.close();
      this.rootsConn = null;
      return 'restart';
    }
    return 'acked';
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
    if (store.db.isValid(dst)) return;
    // PathLocks on the real path: Nix creates `<path>.lock` next to it.
    const lockName = `${store.paths.name(dst)}.lock`;
    const lockId = store.intern(lockName);
    store.disk.create(lockId, 0);
    try {
      await this.ctx.step('addToStore.recheck');
      if (store.db.isValid(dst)) return;
      store.disk.remove(dst); // deletePath(realPath): a leftover invalid copy
      await this.autoGc.autoGC(true);
      await this.ctx.step('addToStore.write');
      store.disk.create(dst, add.size);
      await this.ctx.step('addToStore.register');
      const refs = add.references.map((r) => store.intern(r));
      store.db.registerValidPaths([
        {
          path: dst,
          references: refs,
          narSize: add.size,
          ...(add.outputs ? { outputs: add.outputs.map((o) => store.intern(o)) } : {}),
        },
      ]);
    } catch (e) {
      if (isRootraceError(e)) store.disk.remove(dst);
      throw e;
    } finally {
      store.disk.remove(lockId);
    }
  }

  /** ~LocalStore: wait for auto-GC, then close and unlink the temp-roots file. */
  async destroy(): Promise<void> {
    const { store, pid } = this.ctx;
    await this.autoGc.waitOnExit();
    if (this.tempRootsOfd !== null) {
      store.flock.close(this.tempRootsOfd);
      if (store.tempRoots.unlink(pid)) this.ctx.emit({ type: 'inspect.tempRoots.unlink', file: pid, reason: 'destructor' });
      this.tempRootsOfd = null;
    }
    if (this.gcLockOfd !== null) store.flock.close(this.gcLockOfd);
    this.gcLockOfd = null;
    this.rootsConn?.close();
    this.rootsConn = null;
  }
}
