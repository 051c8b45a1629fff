/**
 * The daemon's per-connection worker process (§2): a fresh LocalStore serving
 * one client until it disconnects (daemon.cc processConnection), with each
 * op's implicit temp roots (storeOps.ts). A failed assertion is not an op
 * error: the worker dies of it (SIGABRT) and its client reads EOF.
 */
import { AssertionAbort, serializeError } from '../messages/errors.js';
import type { DaemonReply, DaemonRequest } from '../messages/daemon.js';
import type { ActorContext, Connection } from './context.js';
import { Interrupted } from './crashes.js';
import { LocalStore } from './localStore.js';
import { StoreOps } from './storeOps.js';

export async function daemonWorker(ctx: ActorContext, conn: Connection<DaemonRequest, DaemonReply>): Promise<void> {
  const local = new LocalStore(ctx);
  const ops = new StoreOps(ctx, local);
  for (;;) {
    const req = await conn.receive();
    if (req === null) break; // the client closed the connection
    const path = 'path' in req ? req.path : 'add' in req ? req.add.name : req.type === 'daemon.buildPaths' ? req.paths.join(' ') : '';
    ctx.emit({ type: 'inspect.op.start', op: req.type, id: req.id, path, ...('add' in req ? { refs: req.add.references } : {}) });
    const disk = (): { free: number; used: number } => ({ free: ctx.store.disk.freeSpace(), used: ctx.store.disk.usedBytes() });
    try {
      const value = await ops.handle(req);
      // Recorded before the reply leaves: the client may act on it (even kill this worker) at once.
      ctx.emit({ type: 'inspect.op', op: req.type, path: typeof value === 'string' ? value : path, result: 'ok', id: req.id, ...disk() });
      conn.send({ type: 'daemon.ok', id: req.id, value });
    } catch (e) {
      if (e instanceof AssertionAbort) throw e; // abort(): no reply, no destructors; the runtime ends this process
      if (e instanceof Interrupted) {
        // SIGTERM: Interrupted is no `Error`, so processConnection does not catch it; the unwinding runs
        // ~LocalStore (whatever the 2.34.0 exit(0) did: an exception leaves the scope the store lives in).
        await local.destroy();
        throw e;
      }
      const error = serializeError(e);
      ctx.emit({ type: 'inspect.op', op: req.type, path, result: 'error', error: error.message, id: req.id, ...disk() });
      conn.send({ type: 'daemon.error', id: req.id, error });
    }
  }
  // processConnection returned; exit(0). 2.34.0 never ran ~LocalStore (the file leaks, the kernel drops the lock).
  if (ctx.switches.daemonWorkerDestructor) await local.destroy();
}
