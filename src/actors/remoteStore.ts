/**
 * RemoteStore: a client's connection to the daemon. One request at a time; a
 * daemon error is rethrown with the daemon's code and text. The connection is
 * opened lazily and, once marked bad, replaced by a fresh one (a fresh worker).
 */
import { RootraceError, deserializeError } from '../messages/errors.js';
import type { DaemonReply, DaemonRequest } from '../messages/daemon.js';
import { spendOn, type ActorContext, type Connection } from './context.js';

/** A daemon request without its id: what a client asks of its store, remote or local. */
export type StoreClientRequest = DaemonRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class RemoteStore {
  private conn: Connection<DaemonReply, DaemonRequest> | null = null;
  private nextId = 1;

  constructor(private readonly ctx: ActorContext) {}

  async call(req: StoreClientRequest): Promise<DaemonReply & { type: 'daemon.ok' }> {
    if (this.conn === null) {
      this.conn = await this.ctx.connect<DaemonReply, DaemonRequest>({ kind: 'daemon' });
      await spendOn(this.ctx, 'daemonConnect'); // accept, fork, handshake
    }
    const id = this.nextId++;
    this.ctx.emit({ type: 'inspect.client.call', op: req.type, id });
    this.conn.send({ ...req, id });
    const reply = await this.conn.receive();
    if (reply === null) {
      this.ctx.emit({ type: 'inspect.client.reply', op: req.type, id, result: 'eof' });
      // "closing daemon connection because of an exception": the next call gets a new worker.
      this.markBad();
      // The text is the client's: serialise.cc:146 @2.8.0, remote-store.cc:70 @2.20.0 (a3cf27ca47).
      throw new RootraceError('nix.Disconnected', this.ctx.switches.daemonEofError === 'unexpected-eof' ? 'unexpected end-of-file' : 'Nix daemon disconnected unexpectedly (maybe it crashed?)');
    }
    if (reply.type === 'daemon.error') {
      this.ctx.emit({ type: 'inspect.client.reply', op: req.type, id, result: 'error', error: reply.error.message });
      throw deserializeError(reply.error);
    }
    this.ctx.emit({ type: 'inspect.client.reply', op: req.type, id, result: 'ok' });
    return reply;
  }

  /** ConnectionHandle::markBad / max-connection-age: drop the connection; its worker exits. */
  markBad(): void {
    this.conn?.close();
    this.conn = null;
  }

  get connected(): boolean {
    return this.conn !== null;
  }

  close(): void {
    this.markBad();
  }
}
