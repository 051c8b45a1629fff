/** A Connection over a MessagePort: a queue of messages, EOF when either side closes. */
import type { MessagePort } from 'node:worker_threads';
import type { Connection } from '../../actors/context.js';

export class PortConnection<In, Out> implements Connection<In, Out> {
  private readonly queue: In[] = [];
  private readonly waiters: ((v: In | null) => void)[] = [];
  private closed = false;
  private severed = false;

  /** `beforeSend` runs before each message leaves (the context flushes its events there). */
  constructor(
    private readonly port: MessagePort,
    private readonly beforeSend?: () => void,
  ) {
    port.on('message', (m: In) => {
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    });
    port.on('close', () => this.eof());
  }

  private eof(): void {
    this.closed = true;
    // A severed connection's owner is dead: it must not wake up to see the EOF.
    if (!this.severed) for (const w of this.waiters.splice(0)) w(null);
  }

  send(msg: Out): void {
    if (this.closed) return;
    this.beforeSend?.();
    this.port.postMessage(msg);
  }

  receive(): Promise<In | null> {
    if (this.severed) return new Promise(() => undefined);
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.closed) return Promise.resolve(null);
    return new Promise((r) => this.waiters.push(r));
  }

  /** The owner was killed: the peer sees EOF, the owner never hears anything again. */
  sever(): void {
    this.severed = true;
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.port.close(); // the peer sees 'close': EOF, as after close(2) on a socket
    this.eof();
  }
}
