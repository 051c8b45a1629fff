// @ts-check
// Takes the requested locks in order, each through its own open file
// description, posts what it holds, then blocks in Atomics.wait until the test
// signals CTL.release (a test that never signals gets a thread that holds its
// locks until it is terminated). On release it closes its descriptions.
import { parentPort } from 'node:worker_threads';
import { mintPid } from '../../../dist/src/messages/ids.js';
import { Store } from '../../../dist/src/store/index.js';
import { workerInput } from './env.mjs';
import { CTL, awaitSignal } from './shared.mjs';

/** @type {import('./protocol.js').LockHolderData} */
const data = workerInput();
const store = Store.attach(data.sab);
const { flock } = store;
const pid = mintPid(data.pid);

/** @param {import('./protocol.js').LockHolderMsg} msg */
const send = (msg) => parentPort?.postMessage(msg);

/** @type {import('../../../dist/src/messages/ids.js').OfdId[]} */
const ofds = [];
/** @type {import('./protocol.js').HeldLock[]} */
const held = [];
for (const req of data.locks) {
  const ofd = req.file === 'gcLock' ? flock.open(pid, store.gcLockFile) : store.tempRoots.openOrCreate(pid, pid);
  const file = flock.fileOf(ofd);
  if (req.wait) {
    send({ type: 'waiting', file });
    flock.lockSync(ofd, req.mode);
  } else if (!flock.tryLock(ofd, req.mode)) {
    throw new Error(`pid ${data.pid}: tryLock(${req.mode}) on file ${file} was refused`);
  }
  ofds.push(ofd);
  held.push({ ofd, file, mode: req.mode });
}
send({ type: 'locked', held });

awaitSignal(new Int32Array(data.ctl), CTL.release);
for (const ofd of ofds) flock.close(ofd);
send({ type: 'released' });
