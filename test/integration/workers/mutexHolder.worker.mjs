// @ts-check
// A thread killed inside one of the store's internal critical sections: it
// declares its mutex identity (as a host thread does), takes the store mutex in
// slot `data.slot`, posts 'locked', then blocks until it is terminated (a test
// that never signals CTL.release gets a thread that dies holding the mutex).
import { parentPort, threadId } from 'node:worker_threads';
import { headerOf } from '../../../dist/src/store/layout.js';
import { mutexLock, mutexUnlock, ownerOfThread, setMutexIdentity } from '../../../dist/src/store/mutex.js';
import { workerInput } from './env.mjs';
import { CTL, awaitSignal } from './shared.mjs';

/** @type {{ sab: SharedArrayBuffer, ctl: SharedArrayBuffer, slot: number }} */
const data = workerInput();
const owner = ownerOfThread(threadId);
setMutexIdentity({ owner, mayBlock: true });
const header = headerOf(data.sab);
mutexLock(header, data.slot);
parentPort?.postMessage({ type: 'locked', owner });
awaitSignal(new Int32Array(data.ctl), CTL.release);
mutexUnlock(header, data.slot);
parentPort?.postMessage({ type: 'released' });
