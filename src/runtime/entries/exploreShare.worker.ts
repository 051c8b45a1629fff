/**
 * A thread of a parallel DFS (sim/parallelExplore.ts): searches one share of
 * the tree (explore with `split`) and posts its progress and, at the end, its
 * report and the keys of the traces it covered. It stops between schedules
 * when the parent raises the shared stop word (a finding elsewhere, an
 * interrupt).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hooksUnmet } from '../../actors/hooksUnmet.js';
import { explore, type ExploreOptions, type ExploreReport } from '../sim/explore.js';

/** What the parent gives a share: explore's data options (no functions), the share, and the stop word. */
export interface ExploreShareData {
  readonly options: Omit<ExploreOptions, 'scaffolding' | 'clock' | 'onProgress' | 'signal' | 'traceKeys'>;
  /** With faults: tell the scenario's scaffolding from a deadlock (actors/hooksUnmet.ts). */
  readonly scaffolding: boolean;
  /** Int32 word 0: non-zero stops the share between schedules. */
  readonly stop: SharedArrayBuffer;
}

export type ExploreShareMessage =
  | { readonly type: 'progress'; readonly schedules: number; readonly findings: number }
  | { readonly type: 'done'; readonly report: ExploreReport; readonly traceKeys: readonly string[] };

const data = workerData as ExploreShareData;
const stop = new Int32Array(data.stop);
let keys: readonly string[] = [];
const post = (m: ExploreShareMessage): void => parentPort!.postMessage(m);
const report = await explore({
  ...data.options,
  ...(data.scaffolding ? { scaffolding: hooksUnmet } : {}),
  signal: {
    get aborted() {
      return Atomics.load(stop, 0) !== 0;
    },
  },
  onProgress: (p) => post({ type: 'progress', schedules: p.schedules, findings: p.findings }),
  traceKeys: (k) => (keys = [...k]),
});
post({ type: 'done', report, traceKeys: keys });
