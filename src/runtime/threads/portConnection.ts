/** A Connection over a MessagePort: a queue of messages, EOF when either side closes. */
import type { MessagePort } from 'node:worker_threads';
import type { Connection } from '../../actors/context.js';

export class PortConnection<In, Out> implements Connection<In, Out> {
  private readonly queue: In[] = [];
  private readonly waiters: ((v: In | null) => void)[] = [];
  private closed = false;

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
    for (const w of this.waiters.splice(0)) w(null);
  }

  send(msg: Out): void {
    if (this.closed) return;
    this.beforeSend?.();
    this.port.postMessage(msg);
  }

  receive(): Promise<In | null> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.closed) return Promise.resolve(null);
    return new Promise((r) => this.waiters.push(r));
  }

  close(): void {
    if (this.closed) return;
    this.port.close(); // the peer sees 'close': EOF, as after close(2) on a socket
    this.eof();
  }
}
