/**
 * The main-thread side of the lock benchmark: a fixed set of threads, started
 * once and reused (a thread start costs ~30 ms), that run timed trials on
 * request. A trial's rate is all threads' pairs over the longest thread's time.
 */
import { setTimeout as sleep, setImmediate as yieldLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { RAW_SLOTS } from './workers/rawLock.js';
import { CTL, CTL_SLOTS, type LockKind, type LockResultMsg, type LockRunMsg, type LockWorkerData } from './workers/storeLockProtocol.js';

export class LockPool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(CTL_SLOTS * 4));
  private readonly workers: Worker[];

  constructor(entry: URL, sab: SharedArrayBuffer, threads: number) {
    const raw = new SharedArrayBuffer(RAW_SLOTS * 4);
    this.workers = Array.from({ length: threads }, (_, i) => {
      const data: LockWorkerData = { sab, raw, ctl: this.ctl.buffer, pid: 1000 + i };
      return new Worker(entry, { workerData: data });
    });
  }

  /** Acquire+release pairs per second of `kind` on the first `threads` threads, over about `ms`. */
  async trial(kind: LockKind, threads: number, ms: number): Promise<number> {
    const ws = this.workers.slice(0, threads);
    Atomics.store(this.ctl, CTL.ready, 0);
    Atomics.store(this.ctl, CTL.stop, 0);
    const results = ws.map((w) => nextResult(w));
    const run: LockRunMsg = { type: 'lock.run', kind };
    for (const w of ws) w.postMessage(run);
    while (Atomics.load(this.ctl, CTL.ready) < threads) await yieldLoop();
    // Start everyone at once: they sleep on `go` until it changes.
    Atomics.add(this.ctl, CTL.go, 1);
    Atomics.notify(this.ctl, CTL.go);
    await sleep(ms);
    Atomics.store(this.ctl, CTL.stop, 1);
    const rs = await Promise.all(results);
    if (kind === 'store-try' && threads === 1 && rs[0]!.refused > 0) throw new Error('uncontended tryLock was refused');
    const ops = rs.reduce((n, r) => n + r.ops, 0);
    return ops / (Math.max(...rs.map((r) => r.ms)) / 1000);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function nextResult(w: Worker): Promise<LockResultMsg> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`lock bench thread exited (code ${code})`));
    w.once('message', (m: LockResultMsg) => {
      w.off('error', reject).off('exit', onExit);
      resolve(m);
    });
    w.once('error', reject).once('exit', onExit);
  });
}
