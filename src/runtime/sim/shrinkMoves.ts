/**
 * The shrinker's moves: each pass names candidate schedules derived from the
 * current best one, by index, so a pass can resume where it was after the best
 * schedule changes. Removing decisions is safe: the replay skips keys it cannot
 * take and runs non-preemptively past the end.
 */
import type { Decision } from './task.js';

/** The i-th candidate of a pass for schedule `d` with preemptions at `pre`, or null past the last. */
export type Pass = (d: readonly Decision[], pre: readonly number[], i: number) => readonly Decision[] | null;

/** [start, end) of the run of one actor's decisions that begins at `i`. */
function segmentEnd(d: readonly Decision[], i: number): number {
  let e = i + 1;
  while (e < d.length && d[e]!.actor === d[i]!.actor) e++;
  return e;
}

function without(d: readonly Decision[], ranges: readonly (readonly [number, number])[]): Decision[] {
  const out: Decision[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    out.push(...d.slice(at, s));
    at = Math.max(at, e);
  }
  out.push(...d.slice(at));
  return out;
}

function switches(d: readonly Decision[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < d.length; i++) if (d[i]!.actor !== d[i - 1]!.actor) out.push(i);
  return out;
}

/** Cut at a preemption: from there on the run is non-preemptive. */
const cutAtPreemption: Pass = (d, pre, i) => (i < pre.length ? d.slice(0, pre[i]) : null);

/** Drop the runs that preemptions started, many at once first (halves, quarters, …, one), as delta debugging does. */
const dropPreemptingRuns: Pass = (d, pre, i) => {
  for (let size = Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, pre.length / 2)))); size >= 1; size /= 2) {
    const chunks = Math.ceil(pre.length / size);
    if (i < chunks) return without(d, pre.slice(i * size, (i + 1) * size).map((p) => [p, segmentEnd(d, p)] as const));
    i -= chunks;
    if (size === 1) break;
  }
  return null;
};

/** Let the preempted actor go on first: its next run of decisions moves in front of the preemption. */
const pullPreempted: Pass = (d, pre, i) => {
  const p = pre[i];
  if (p === undefined) return null;
  const preempted = d[p - 1]?.actor;
  const q = d.findIndex((x, j) => j > p && x.actor === preempted);
  if (q < 0) return d.slice(0, p);
  const qe = segmentEnd(d, q);
  return [...d.slice(0, p), ...d.slice(q, qe), ...d.slice(p, q), ...d.slice(qe)];
};

/** Drop any run of one actor (its steps happen where it next appears, or at the end). */
const dropRun: Pass = (d, _pre, i) => {
  const s = switches(d)[i];
  return s === undefined ? null : without(d, [[s, segmentEnd(d, s)]]);
};

/** Cut at any switch between actors. */
const cutAtSwitch: Pass = (d, _pre, i) => {
  const s = switches(d)[i];
  return s === undefined ? null : d.slice(0, s);
};

/** Most promising first: the cheap, big cuts before the fine ones. */
export const PASSES: readonly Pass[] = [cutAtPreemption, dropPreemptingRuns, pullPreempted, dropRun, cutAtSwitch];
