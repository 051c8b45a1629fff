/**
 * `rootrace merge`: shard documents → the document the whole sweep would give.
 * Every shard must come from the same sweep (scenario, root seed, runs per
 * point, runtime, axes, tool version and what the runs ran), and the set must
 * be complete: each shard i/n once, each holding every run its plan gives it,
 * with the planned seed. `partial` merges an incomplete set (a missing or
 * interrupted shard) and says what is missing instead of refusing it.
 */
import { UsageError } from '../../messages/errors.js';
import type { SweepDocument, SweepRunRecord } from '../../messages/sweep.js';
import { recommend, summarise, loopOf } from './aggregate.js';
import { expandGrid, planRuns, type Point } from './plan.js';

export interface Shard {
  readonly file: string;
  readonly doc: SweepDocument;
}

export interface MergeOptions {
  /** Merge an incomplete set: missing shards and runs become `warnings` (and `missingShards`), not an error. */
  readonly partial?: boolean;
}

export interface Merged {
  readonly doc: SweepDocument;
  /** What an incomplete set lacks, one sentence each (empty for a complete set). */
  readonly warnings: readonly string[];
}

/** The fields that make two documents parts of one sweep, with how each is shown. */
const IDENTITY: readonly [string, (d: SweepDocument) => unknown][] = [
  ['scenario', (d) => d.scenario],
  ['root seed', (d) => d.rootSeed],
  ['runs per point', (d) => d.runsPerPoint],
  ['runtime', (d) => d.runtime],
  ['axes', (d) => d.axes.map((a) => `${a.name}=${a.values.join(',')}`).join(' ')],
  ['rootrace version', (d) => d.tool.version],
  ['inputs (the scenario file, --set, the profiles\' switches)', (d) => d.inputs],
];

function checkSameSweep(docs: readonly Shard[]): void {
  const [first, ...rest] = docs;
  for (const { file, doc } of rest) {
    for (const [what, get] of IDENTITY) {
      const [a, b] = [get(first!.doc), get(doc)];
      // A document from before `inputs` existed carries none: nothing to compare.
      if (a === undefined || b === undefined || a === b) continue;
      const shown = (v: unknown): string => (what.startsWith('inputs') ? `${String(v).slice(0, 12)}…` : JSON.stringify(v));
      throw new UsageError(`${file}: not a shard of the same sweep as ${first!.file}: ${what} ${shown(b)} here, ${shown(a)} there`);
    }
  }
}

/** `1/4` → { i, n }, or an error naming the file. */
function shardOf(s: Shard): { i: number; n: number } | null {
  if (s.doc.shard === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(s.doc.shard);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`${s.file}: shard: expected i/n with 1 ≤ i ≤ n, got '${s.doc.shard}'`);
  return { i, n };
}

/** Which shards of 1..n are missing; every given one must be of the same split, and given once. */
function missingShards(docs: readonly Shard[]): { n: number; missing: number[] } {
  const split = docs.map((s) => ({ s, part: shardOf(s) }));
  const whole = split.find((x) => x.part === null);
  if (whole && docs.length > 1) throw new UsageError(`${whole.s.file}: a whole sweep (no shard), merged with ${docs.find((d) => d !== whole.s)!.file}: give only the shards of one sweep`);
  if (whole) return { n: 1, missing: [] };
  const n = split[0]!.part!.n;
  const by = new Map<number, string>();
  for (const { s, part } of split) {
    if (part!.n !== n) throw new UsageError(`${s.file}: shard ${s.doc.shard} of a split into ${part!.n}, but ${split[0]!.s.file} is shard ${split[0]!.s.doc.shard}: not one split`);
    const other = by.get(part!.i);
    if (other !== undefined) throw new UsageError(`${s.file}: shard ${s.doc.shard} given twice (also ${other})`);
    by.set(part!.i, s.file);
  }
  return { n, missing: Array.from({ length: n }, (_, k) => k + 1).filter((i) => !by.has(i)) };
}

export function mergeSweeps(docs: readonly Shard[], o: MergeOptions = {}): Merged {
  const first = docs[0];
  if (!first) throw new UsageError('merge needs at least one sweep JSON file');
  for (const { file, doc } of docs) if (doc.schemaVersion !== 1) throw new UsageError(`${file}: schemaVersion ${String(doc.schemaVersion)} is not 1`);
  checkSameSweep(docs);
  const base = first.doc;
  const split = missingShards(docs);
  const [profileAxis, ...axes] = base.axes;
  const points = expandGrid((profileAxis?.values ?? []).map(String), axes);
  const warnings: string[] = [];
  const complain = (what: string): void => {
    if (!o.partial) throw new UsageError(`${what}; merge --partial merges what is there`);
    warnings.push(what);
  };
  if (split.missing.length > 0) {
    const have = docs.map((d) => `${d.doc.shard} (${d.file})`).join(', ');
    complain(`incomplete shard set: missing ${split.missing.map((i) => `${i}/${split.n}`).join(', ')} (have ${have})`);
  }
  const runs = checkRuns(docs, points, complain);
  runs.sort((a, b) => (a.point === b.point ? a.run - b.run : points.findIndex((p) => p.key === a.point) - points.findIndex((p) => p.key === b.point)));
  const summaries = summarise(points, runs);
  const { shard: _shard, interrupted: _interrupted, ...rest } = base;
  const doc: SweepDocument = {
    ...rest,
    shardsMerged: docs.length,
    ...(split.missing.length > 0 ? { missingShards: split.missing.map((i) => `${i}/${split.n}`) } : {}),
    wallMs: docs.reduce((s, d) => s + d.doc.wallMs, 0),
    points: summaries,
    runs,
    recommendation: recommend(summaries, base.platform.cores),
    ...loopOf(summaries),
  };
  return { doc, warnings };
}

/**
 * Every run of every shard must be one its plan gives it, with the planned
 * seed, and appear once; a shard short of runs (interrupted, or cut) is
 * incomplete.
 */
function checkRuns(docs: readonly Shard[], points: readonly Point[], complain: (what: string) => void): SweepRunRecord[] {
  const base = docs[0]!.doc;
  const seen = new Map<string, string>();
  const runs: SweepRunRecord[] = [];
  for (const { file, doc } of docs) {
    const part = shardOf({ file, doc });
    const planned = new Map(planRuns(points, base.runsPerPoint, base.rootSeed, part ?? undefined).map((p) => [`${p.point.key}#${p.run}`, p.seed]));
    for (const [k, r] of doc.runs.entries()) {
      const key = `${r.point}#${r.run}`;
      const other = seen.get(key);
      if (other !== undefined) throw new UsageError(`${file}: runs[${k}]: run ${key} appears in more than one shard (also ${other})`);
      const seed = planned.get(key);
      if (seed === undefined) throw new UsageError(`${file}: runs[${k}]: run ${key} is not one of ${doc.shard === undefined ? 'the sweep' : `shard ${doc.shard}`}'s runs`);
      if (seed !== r.seed) throw new UsageError(`${file}: runs[${k}]: run ${key} has seed ${r.seed}, but the sweep's plan gives it ${seed}`);
      seen.set(key, file);
      runs.push(r);
    }
    const lacking = planned.size - doc.runs.length;
    if (lacking > 0) {
      const why = doc.interrupted ? `interrupted by ${doc.interrupted.signal}` : 'cut short';
      complain(`${file}: ${doc.shard === undefined ? 'the sweep' : `shard ${doc.shard}`} has ${doc.runs.length} of its ${planned.size} runs (${why})`);
    }
  }
  return runs;
}
