/** A Connection over a MessagePort: a queue of messages, EOF when either side closes. */
import type { MessagePort } from 'node:worker_threads';
import type { Connection } from '../../actors/context.js';
import type { ConnectionEnd, WaitFor } from '../../actors/deadlockReport.js';

export interface PortConnectionOptions {
  /** Runs before each message leaves (the context flushes its events there). */
  readonly beforeSend?: () => void;
  /** Which end this is, for the watchdog. */
  readonly end?: ConnectionEnd;
  /** Registers a wait with the owner's context (the watchdog's view of what it waits for). */
  readonly track?: <T>(w: WaitFor, p: Promise<T>) => Promise<T>;
}

export class PortConnection<In, Out> implements Connection<In, Out> {
  private readonly queue: In[] = [];
  private readonly waiters: ((v: In | null) => void)[] = [];
  private closed = false;
  private severed = false;

  constructor(
    private readonly port: MessagePort,
    private readonly opts: PortConnectionOptions = {},
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
    this.opts.beforeSend?.();
    this.port.postMessage(msg);
  }

  receive(): Promise<In | null> {
    if (this.severed) return new Promise(() => undefined);
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.closed) return Promise.resolve(null);
    const wait = new Promise<In | null>((r) => this.waiters.push(r));
    const { track, end } = this.opts;
    return track && end ? track({ kind: 'message', on: end }, wait) : wait;
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
