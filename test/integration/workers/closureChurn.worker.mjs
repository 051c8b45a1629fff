// @ts-check
// Registers and invalidates random paths of a shared pool. A batch refers only
// to paths this worker saw valid or to earlier members of the batch; another
// worker may invalidate a reference before the commit (InvalidPath), or race us
// into a cycle (Cycle). Invalidation of a path with a valid referrer is refused
// (PathInUse): the worker climbs to a path with no referrer first, so that
// mostly happens when another worker registered a referrer in between. Any
// other error escapes and fails the test.
import { parentPort } from 'node:worker_threads';
import { isRootraceError } from '../../../dist/src/messages/errors.js';
import { mintPathId } from '../../../dist/src/messages/ids.js';
import { Store } from '../../../dist/src/store/index.js';
import { workerInput } from './env.mjs';
import { barrier, mulberry32 } from './shared.mjs';

/** @typedef {import('../../../dist/src/messages/ids.js').PathId} PathId */

/** @type {import('./protocol.js').ClosureChurnData} */
const data = workerInput();
const { db } = Store.attach(data.sab);
const rand = mulberry32(data.seed);
const pool = data.pool.map(mintPathId);
const pick = () => /** @type {PathId} */ (pool[Math.floor(rand() * pool.length)]);

const stats = { registered: 0, invalidPath: 0, cycles: 0, invalidated: 0, inUse: 0, notValid: 0 };

/** A batch of 1-3 paths that were invalid; each refers to up to 3 valid paths, an earlier member, maybe itself. */
function makeBatch() {
  /** @type {{ path: PathId, references: PathId[] }[]} */
  const batch = [];
  for (let size = 1 + Math.floor(rand() * 3); size > 0; size--) {
    const path = pick();
    if (db.isValid(path) || batch.some((b) => b.path === path)) continue;
    const references = [];
    for (let n = Math.floor(rand() * 4); n > 0; n--) {
      const r = pick();
      if (db.isValid(r)) references.push(r);
    }
    const earlier = batch[Math.floor(rand() * batch.length)];
    if (earlier && rand() < 0.5) references.push(earlier.path);
    if (rand() < 0.1) references.push(path);
    batch.push({ path, references });
  }
  return batch;
}

/** A valid path with no valid referrer but itself, found by climbing referrers from a random path (as a GC deletes top-down). */
function pickTop() {
  let path = pick();
  for (let step = 0; step < 8; step++) {
    const up = db.referrers(path).filter((r) => r !== path && db.isValid(r));
    const next = up[Math.floor(rand() * up.length)];
    if (next === undefined) break;
    path = next;
  }
  return path;
}

barrier(new Int32Array(data.ctl), data.parties);
for (let i = 0; i < data.iterations; i++) {
  if (rand() < 0.5) {
    const batch = makeBatch();
    if (batch.length === 0) continue;
    try {
      db.registerValidPaths(batch);
      stats.registered++;
    } catch (err) {
      if (isRootraceError(err, 'nix.InvalidPath')) stats.invalidPath++;
      else if (isRootraceError(err, 'nix.Cycle')) stats.cycles++;
      else throw err;
    }
  } else {
    try {
      if (db.invalidatePathChecked(pickTop())) stats.invalidated++;
      else stats.notValid++;
    } catch (err) {
      if (isRootraceError(err, 'nix.PathInUse')) stats.inUse++;
      else throw err;
    }
  }
}

/** @type {import('./protocol.js').ClosureChurnDoneMsg} */
const msg = { type: 'done', stats };
parentPort?.postMessage(msg);
