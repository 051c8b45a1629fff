/**
 * The GC's roots server (nix-gc-protocol.md §3 step 4, §12.1, §12.4): bound on
 * gc-socket/socket while a GC holds gc.lock. Each client's root goes into
 * `shared.tempRoots` by hash part; its ack is held while `pending` equals that
 * hash part. `pending` is assigned without waking anyone (gc.cc:705 @2.8.0);
 * waiters wake only at an explicit `notify` — where Nix calls
 * `wakeup.notify_all()`: releasePending at the end of a closure (gc.cc:651
 * @2.8.0), resetPending after each deletion (gc.cc:742 @2.35.2), stopServer
 * (gc.cc:593 @2.8.0).
 */
import type { RootsReply, RootsRequest } from '../messages/roots.js';
import { baseNameOf, hashPartOf } from '../store/index.js';
import type { ActorContext, Connection } from './context.js';

/** The state the roots server threads share with the deleting thread (`_shared` in Nix), and its condition variable. */
export class Shared {
  readonly tempRoots = new Set<string>();
  readonly acked = new Set<string>();
  /** The hash part being visited or deleted: a root for it is not acked until a notify finds it changed. */
  pending: string | null = null;
  private waiters: (() => void)[] = [];

  /** `wakeup.notify_all()`. */
  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** `shared.wait(wakeup)`: resolves at the next notify, whatever `pending` is then. */
  wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
}

export interface RootsServer {
  readonly shared: Shared;
  /** stopServer: wake waiters, stop accepting, shut every client down (they restart); the order follows the switch. */
  stop(): Promise<void>;
}

/**
 * Starts the server. `bind()` unlinks any old socket file first (util.cc:1831
 * @2.8.0), so the caller has already made the socket file vanish: clients
 * connecting between that unlink and this listen get ENOENT.
 */
export function startRootsServer(ctx: ActorContext, run: string): RootsServer {
  const shared = new Shared();
  const listener = ctx.listen<RootsRequest, RootsReply>({ kind: 'gcSocket' });
  ctx.store.setGcSocketExists(true);
  const clients: Connection<RootsRequest, RootsReply>[] = [];
  /** Set once stopServer has shut the clients down: a connection accepted after that is reset by the kernel when the listener closes. */
  let stopping = false;
  const log = (text: string, level: 'debug' | 'error'): void => ctx.emit({ type: 'inspect.log', level, text });
  const serve = async (conn: Connection<RootsRequest, RootsReply>): Promise<void> => {
    for (;;) {
      const msg = await conn.receive();
      if (msg === null) return;
      if (stopping) {
        // Nobody serves this connection: closing the listener resets it (ECONNRESET on the client).
        conn.send({ type: 'roots.reset' });
        conn.close();
        return;
      }
      const hash = hashPartOf(baseNameOf(msg.path));
      let waited = false;
      if (!hash) log('received garbage instead of a root from client', 'error');
      else {
        shared.tempRoots.add(hash);
        // The server thread runs beside the deleting one (gc.cc:540–580 @2.8.0): either may go first from here.
        await ctx.step('roots.received');
        // gc.cc:572 @2.8.0: wait while the deleting thread is on this very path.
        while (shared.pending === hash) {
          waited = true;
          log(`synchronising with deletion of path '${msg.path}'`, 'debug');
          await shared.wait();
        }
        shared.acked.add(hash);
        log(`got new GC root '${msg.path}'`, 'debug');
      }
      conn.send({ type: 'roots.ack' });
      ctx.emit({ type: 'inspect.roots.ack', path: msg.path, gcRun: run, waited });
    }
  };
  /** The connection threads still running: stopServer joins them (gc.cc:508–514 @2.8.0). */
  const threads = new Set<Promise<void>>();
  const serving = (async () => {
    for (;;) {
      const conn = await listener.accept();
      if (conn === null) return;
      clients.push(conn);
      const t = serve(conn).finally(() => threads.delete(t));
      threads.add(t);
    }
  })();
  const shutClients = (): void => {
    stopping = true;
    for (const c of clients.splice(0)) c.close();
  };
  return {
    shared,
    async stop() {
      shared.notify();
      if (ctx.switches.gcServerStopOrder === 'clients-first') {
        // ≤2.11: the server thread's cleanup shuts the clients down; the listening fd closes only when
        // collectGarbage returns, so a client that reconnects meanwhile is accepted, then reset (#7353).
        shutClients();
        await ctx.step('gc.stopServer');
        listener.close();
      } else {
        listener.close();
        shutClients();
      }
      for (const c of clients.splice(0)) c.close();
      await serving;
      // The server thread's cleanup shuts each connection down and joins its thread (gc.cc:508–514 @2.8.0),
      // and stopServer joins the server thread: a woken waiter's ack (or its failed write) comes before
      // collectGarbage goes on, so before gc.lock is released.
      await Promise.all(threads);
    },
  };
}
