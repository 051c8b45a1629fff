/**
 * One thread of the lock benchmark: on each `lock.run` it waits for the start
 * signal, then takes and releases one lock as fast as it can until `stop`.
 * The stop flag is read once per batch of 64 pairs, the same for every kind.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mintPid } from '../../src/messages/ids.js';
import { Store } from '../../src/store/index.js';
import { rawLock, rawUnlock } from './rawLock.js';
import { CTL, type LockKind, type LockResultMsg, type LockRunMsg, type LockWorkerData } from './storeLockProtocol.js';

const BATCH = 64;
const data = workerData as LockWorkerData;
const store = Store.attach(data.sab);
const { flock } = store;
const ofd = flock.open(mintPid(data.pid), store.gcLockFile);
const ctl = new Int32Array(data.ctl);
const raw = new Int32Array(data.raw);
let refused = 0;

const stopped = (): boolean => Atomics.load(ctl, CTL.stop) !== 0;

function storeTry(): number {
  let ops = 0;
  while (!stopped()) {
    for (let i = 0; i < BATCH; i++) {
      if (!flock.tryLock(ofd, 'exclusive')) refused++;
      flock.unlock(ofd);
    }
    ops += BATCH;
  }
  return ops;
}

function storeSync(): number {
  let ops = 0;
  while (!stopped()) {
    for (let i = 0; i < BATCH; i++) {
      flock.lockSync(ofd, 'exclusive');
      flock.unlock(ofd);
    }
    ops += BATCH;
  }
  return ops;
}

function rawLoop(): number {
  let ops = 0;
  while (!stopped()) {
    for (let i = 0; i < BATCH; i++) {
      rawLock(raw);
      rawUnlock(raw);
    }
    ops += BATCH;
  }
  return ops;
}

const loops: Record<LockKind, () => number> = { 'store-try': storeTry, 'store-sync': storeSync, raw: rawLoop };

function trial(kind: LockKind): LockResultMsg {
  const go = Atomics.load(ctl, CTL.go);
  Atomics.add(ctl, CTL.ready, 1);
  // Sleep until the main thread bumps `go`; a bump before our wait makes it return at once.
  while (Atomics.load(ctl, CTL.go) === go) Atomics.wait(ctl, CTL.go, go);
  refused = 0;
  const t0 = performance.now();
  const ops = loops[kind]();
  return { type: 'lock.result', ops, ms: performance.now() - t0, refused };
}

parentPort!.on('message', (msg: LockRunMsg) => {
  parentPort!.postMessage(trial(msg.kind));
});
