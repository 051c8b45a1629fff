// @ts-check
// Interns a list of names in a given order, after a barrier with its siblings,
// and posts the id it got for each name.
import { parentPort } from 'node:worker_threads';
import { Store } from '../../../dist/src/store/index.js';
import { workerInput } from './env.mjs';
import { barrier, mulberry32, shuffle } from './shared.mjs';

/** @type {import('./protocol.js').InternData} */
const data = workerInput();
const store = Store.attach(data.sab);
const indices = data.names.map((_, i) => i);
if (data.order === 'reverse') indices.reverse();
else if (data.order === 'shuffled') shuffle(indices, mulberry32(data.seed));

/** @type {number[]} */
const ids = [];
barrier(new Int32Array(data.ctl), data.parties);
for (const i of indices) ids[i] = store.intern(/** @type {string} */ (data.names[i]));

/** @type {import('./protocol.js').InternedMsg} */
const msg = { type: 'interned', ids };
parentPort?.postMessage(msg);
