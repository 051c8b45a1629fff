// @ts-check
// Another thread that needs the directory mutex: posts 'started', reads
// temproots/ (sleeping in Atomics.wait while the mutex is held), then posts
// how many files it listed.
import { parentPort, threadId } from 'node:worker_threads';
import { Store } from '../../../dist/src/store/index.js';
import { ownerOfThread, setMutexIdentity } from '../../../dist/src/store/mutex.js';
import { workerInput } from './env.mjs';

/** @type {{ sab: SharedArrayBuffer }} */
const data = workerInput();
setMutexIdentity({ owner: ownerOfThread(threadId), mayBlock: true });
const store = Store.attach(data.sab);
parentPort?.postMessage({ type: 'started' });
const files = store.tempRoots.list().length;
parentPort?.postMessage({ type: 'listed', files });
