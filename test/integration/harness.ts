/**
 * Starts the .mjs workers of test/integration/workers (they run the build in
 * dist/, so run `npm run build` first) and collects what they post. Every
 * worker is registered with a `WorkerGroup`; call `terminateAll` in afterEach
 * so a failed test never leaves a thread running (the fork would hang).
 */
import { Worker } from 'node:worker_threads';
import { FileField, mapLayout, readCapacities } from '../../src/store/layout.js';

interface Tagged {
  readonly type: string;
}

export class TestWorker<M extends Tagged> {
  readonly worker: Worker;
  /** Resolves with the exit code, whatever ended the thread. */
  readonly exited: Promise<number>;
  private readonly inbox: M[] = [];
  private failure: Error | null = null;
  private terminating = false;
  private wakers: (() => void)[] = [];

  constructor(
    readonly script: string,
    workerData: unknown,
  ) {
    this.worker = new Worker(new URL(`./workers/${script}`, import.meta.url), { workerData });
    // Attached right away: 'exit' can fire before a late listener is added.
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        // Whatever is still awaited will never come: fail those waits now, not at their timeout.
        this.failure ??= new Error(this.terminating ? `${script} was terminated` : `${script} exited (code ${code}) without the message awaited`);
        this.notify();
        resolve(code);
      });
    });
    this.worker.on('message', (m: M) => {
      this.inbox.push(m);
      this.notify();
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      this.notify();
    });
  }

  private notify(): void {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  /** The next unread message of `type`; rejects if the worker fails or exits first, or on timeout. */
  async next<T extends M['type']>(type: T, timeoutMs = 10_000): Promise<Extract<M, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<M, { type: T }>;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.script}: no '${type}' message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Ends the thread as `kill -9` would: no `finally` in the worker runs. */
  async terminate(): Promise<number> {
    this.terminating = true;
    await this.worker.terminate();
    return this.exited;
  }
}

export class WorkerGroup {
  private readonly all: TestWorker<Tagged>[] = [];

  spawn<M extends Tagged>(script: string, workerData: unknown): TestWorker<M> {
    const w = new TestWorker<M>(script, workerData);
    this.all.push(w);
    return w;
  }

  async terminateAll(): Promise<void> {
    await Promise.all(this.all.splice(0).map((w) => w.terminate()));
  }
}

/** Threads asleep in Flock.lockSync on `file` right now (they count themselves before sleeping). */
export function sleepersOn(sab: SharedArrayBuffer, file: number): number {
  const waiters = mapLayout(sab, readCapacities(sab)).files[FileField.waiters]!;
  return Atomics.load(waiters, file);
}

/** Polls `cond` until it holds; rejects after `timeoutMs`. */
export async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
