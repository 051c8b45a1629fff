/**
 * The GC's roots server (nix-gc-protocol.md §3 step 4): bound on gc-socket/socket
 * while a GC holds gc.lock. Each client's root goes into `shared.tempRoots` by
 * hash part; its ack is held while the deleting thread is on that very path
 * (`pending`). Stopping closes the listener, then every client, who restarts.
 */
import type { RootsReply, RootsRequest } from '../messages/roots.js';
import { baseNameOf, hashPartOf } from '../store/index.js';
import type { ActorContext, Connection } from './context.js';

/** The state the roots server threads share with the deleting thread (`_shared` in Nix). */
export class Shared {
  readonly tempRoots = new Set<string>();
  readonly acked = new Set<string>();
  private pendingHash: string | null = null;
  private wake: (() => void)[] = [];

  get pending(): string | null {
    return this.pendingHash;
  }

  set pending(h: string | null) {
    this.pendingHash = h;
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  /** Resolves at the next change of `pending` (the condition variable). */
  changed(): Promise<void> {
    return new Promise((r) => this.wake.push(r));
  }
}

export interface RootsServer {
  readonly shared: Shared;
  /** stopServer: close the listener, then shut every client down; they restart. */
  stop(): Promise<void>;
}

export function startRootsServer(ctx: ActorContext, run: string): RootsServer {
  const shared = new Shared();
  const listener = ctx.listen<RootsRequest, RootsReply>({ kind: 'gcSocket' });
  ctx.store.setGcSocketExists(true);
  const clients: Connection<RootsRequest, RootsReply>[] = [];
  const log = (text: string, level: 'debug' | 'error'): void => ctx.emit({ type: 'inspect.log', level, text });
  const serve = async (conn: Connection<RootsRequest, RootsReply>): Promise<void> => {
    for (;;) {
      const msg = await conn.receive();
      if (msg === null) return;
      const hash = hashPartOf(baseNameOf(msg.path));
      let waited = false;
      if (!hash) log('received garbage instead of a root from client', 'error');
      else {
        shared.tempRoots.add(hash);
        // Hold the ack while the deleting thread is on this very path.
        while (shared.pending === hash) {
          waited = true;
          await shared.changed();
        }
        shared.acked.add(hash);
        log(`got new GC root '${msg.path}'`, 'debug');
      }
      conn.send({ type: 'roots.ack' });
      ctx.emit({ type: 'inspect.roots.ack', path: msg.path, gcRun: run, waited });
    }
  };
  const serving = (async () => {
    for (;;) {
      const conn = await listener.accept();
      if (conn === null) return;
      clients.push(conn);
      void serve(conn);
    }
  })();
  return {
    shared,
    async stop() {
      listener.close();
      for (const c of clients) c.close();
      await serving;
    },
  };
}
