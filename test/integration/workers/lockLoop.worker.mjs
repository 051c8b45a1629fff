// @ts-check
// Takes gc.lock N times through its own open file description, exclusive or
// shared at random, and checks from inside each critical section that no
// conflicting holder is inside too. Under the exclusive lock it increments a
// plain (non-atomic) shared counter: a lost increment means two holders overlapped.
import { parentPort } from 'node:worker_threads';
import { mintPid } from '../../../dist/src/messages/ids.js';
import { Store } from '../../../dist/src/store/index.js';
import { workerInput } from './env.mjs';
import { CTL, barrier, busyWork, mulberry32 } from './shared.mjs';

/** @type {import('./protocol.js').LockLoopData} */
const data = workerInput();
const store = Store.attach(data.sab);
const { flock } = store;
const ctl = new Int32Array(data.ctl);
const counter = new Int32Array(data.counter);
const rand = mulberry32(data.seed);
const ofd = flock.open(mintPid(data.pid), store.gcLockFile);

let exclusive = 0;
let shared = 0;
let contended = 0;
let violations = 0;
let maxShared = 0;
let sink = 0;

barrier(ctl, data.parties);
for (let i = 0; i < data.iterations; i++) {
  /** @type {import('../../../dist/src/store/index.js').FlockMode} */
  const mode = rand() < data.exclusiveRatio ? 'exclusive' : 'shared';
  // Try first only to count contention; a refused try falls back to the blocking call under test.
  if (!flock.tryLock(ofd, mode)) {
    contended++;
    flock.lockSync(ofd, mode);
  }
  if (mode === 'exclusive') {
    if (Atomics.add(ctl, CTL.exclusiveInside, 1) !== 0) violations++;
    if (Atomics.load(ctl, CTL.sharedInside) !== 0) violations++;
    // Deliberately non-atomic read-modify-write: only the lock orders these.
    const v = /** @type {number} */ (counter[0]);
    sink ^= busyWork(data.work);
    counter[0] = v + 1;
    if (Atomics.load(ctl, CTL.sharedInside) !== 0) violations++;
    // Leave the section before unlocking, so the next holder finds the count at 0.
    Atomics.sub(ctl, CTL.exclusiveInside, 1);
    exclusive++;
  } else {
    maxShared = Math.max(maxShared, Atomics.add(ctl, CTL.sharedInside, 1) + 1);
    if (Atomics.load(ctl, CTL.exclusiveInside) !== 0) violations++;
    sink ^= busyWork(data.work);
    if (Atomics.load(ctl, CTL.exclusiveInside) !== 0) violations++;
    Atomics.sub(ctl, CTL.sharedInside, 1);
    shared++;
  }
  flock.unlock(ofd);
}
flock.close(ofd);

/** @type {import('./protocol.js').LockLoopDoneMsg} */
const msg = { type: 'done', exclusive, shared, contended, violations, maxShared, sink };
parentPort?.postMessage(msg);
