/**
 * A client that opened the store itself (`NIX_REMOTE=local`): the same calls
 * as RemoteStore, run in-process on its own LocalStore, so its temp roots are
 * in temproots/<its pid> and its build goals and auto-GC are its own threads.
 */
import type { DaemonReply } from '../messages/daemon.js';
import type { ActorContext } from './context.js';
import type { LocalStore } from './localStore.js';
import type { StoreClientRequest } from './remoteStore.js';
import { StoreOps } from './storeOps.js';

export class LocalClient {
  private readonly ops: StoreOps;
  private nextId = 1;

  constructor(ctx: ActorContext, local: LocalStore) {
    this.ops = new StoreOps(ctx, local);
  }

  async call(req: StoreClientRequest): Promise<DaemonReply & { type: 'daemon.ok' }> {
    const id = this.nextId++;
    const value = await this.ops.handle({ ...req, id });
    return { type: 'daemon.ok', id, value };
  }

  /** A local store has no connection to drop. */
  markBad(): void {}

  close(): void {}
}
