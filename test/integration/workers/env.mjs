// @ts-check
// The one untyped thing a worker receives is its workerData; this gives it the
// type the test declared in protocol.ts (see env.d.mts).
import { workerData } from 'node:worker_threads';

/** @returns {unknown} */
export function workerInput() {
  return workerData;
}
