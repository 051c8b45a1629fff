/**
 * In-memory sockets for the sim runtime: a connection is two queues; receive
 * and accept park the fiber until a message, a client or EOF is there. Closing
 * either end is EOF for the other after what was already sent, as after
 * close(2) on a Unix socket; an actor's death closes every end it owns.
 */
import type { Connection, Listener } from '../../actors/context.js';
import type { Kernel, SimActor } from './kernel.js';

/** One direction of a socket. `key` names it for the reduction's footprints. */
class Pipe<T> {
  readonly queue: T[] = [];
  closed = false;
  constructor(readonly key: string) {}
}

export class SimConnection<In, Out> implements Connection<In, Out> {
  constructor(
    private readonly kernel: Kernel,
    private readonly owner: SimActor,
    private readonly inbox: Pipe<In>,
    private readonly outbox: Pipe<Out>,
    private readonly label: string,
  ) {
    owner.closers.push(() => this.close());
  }

  send(msg: Out): void {
    this.kernel.recorder?.write(this.outbox.key);
    if (!this.outbox.closed) this.outbox.queue.push(msg);
  }

  async receive(): Promise<In | null> {
    const inbox = this.inbox;
    const rec = this.kernel.recorder;
    await this.kernel.park(this.owner, 'recv', this.label, () => (rec?.read(inbox.key), inbox.queue.length > 0 || inbox.closed));
    rec?.write(inbox.key);
    return inbox.queue.shift() ?? null;
  }

  close(): void {
    this.kernel.recorder?.write(this.inbox.key);
    this.kernel.recorder?.write(this.outbox.key);
    this.inbox.closed = true;
    this.outbox.closed = true;
  }
}

/** A connected pair: `a` talks to `b`. Labels name each side's receive point. */
export function socketPair<AIn, BIn>(
  kernel: Kernel,
  a: { owner: SimActor; label: string },
  b: { owner: SimActor; label: string },
): [SimConnection<AIn, BIn>, SimConnection<BIn, AIn>] {
  const toA = new Pipe<AIn>(kernel.newKey('chan'));
  const toB = new Pipe<BIn>(kernel.newKey('chan'));
  return [new SimConnection(kernel, a.owner, toA, toB, a.label), new SimConnection(kernel, b.owner, toB, toA, b.label)];
}

export class SimListener<In, Out> implements Listener<In, Out> {
  private readonly queue: SimConnection<In, Out>[] = [];
  private closed = false;
  private readonly key: string;

  constructor(
    private readonly kernel: Kernel,
    readonly owner: SimActor,
    private readonly onClose: () => void,
  ) {
    this.key = kernel.newKey('accept');
    owner.closers.push(() => this.close());
  }

  /** A client connected: queue its server end for accept. */
  offer(conn: SimConnection<In, Out>): void {
    this.kernel.recorder?.write(this.key);
    if (this.closed) conn.close();
    else this.queue.push(conn);
  }

  async accept(): Promise<Connection<In, Out> | null> {
    const rec = this.kernel.recorder;
    await this.kernel.park(this.owner, 'accept', 'roots.accept', () => (rec?.read(this.key), this.queue.length > 0 || this.closed));
    rec?.write(this.key);
    return this.queue.shift() ?? null;
  }

  close(): void {
    this.kernel.recorder?.write(this.key);
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    // Accepted by the kernel, never served: the client sees a reset.
    for (const c of this.queue.splice(0)) c.close();
  }
}
