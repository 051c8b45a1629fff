/** `rootrace merge`: shard documents → the document the whole sweep would give. */
import { UsageError } from '../../messages/errors.js';
import type { SweepDocument, SweepRunRecord } from '../../messages/sweep.js';
import { recommend, summarise, loopOf } from './aggregate.js';
import { expandGrid } from './plan.js';

export function mergeSweeps(docs: readonly { file: string; doc: SweepDocument }[]): SweepDocument {
  const first = docs[0];
  if (!first) throw new UsageError('merge needs at least one sweep JSON file');
  const base = first.doc;
  const sameShape = (d: SweepDocument): boolean =>
    d.scenario === base.scenario && d.rootSeed === base.rootSeed && d.runsPerPoint === base.runsPerPoint && d.runtime === base.runtime && JSON.stringify(d.axes) === JSON.stringify(base.axes);
  for (const { file, doc } of docs) {
    if (doc.schemaVersion !== 1) throw new UsageError(`${file}: schemaVersion ${String(doc.schemaVersion)} is not 1`);
    if (!sameShape(doc)) throw new UsageError(`${file}: not a shard of the same sweep as ${first.file} (scenario, seed, runs, runtime and axes must match)`);
  }
  const seen = new Set<string>();
  const runs: SweepRunRecord[] = [];
  for (const { file, doc } of docs) {
    for (const r of doc.runs) {
      const k = `${r.point}#${r.run}`;
      if (seen.has(k)) throw new UsageError(`${file}: run ${k} appears in more than one shard`);
      seen.add(k);
      runs.push(r);
    }
  }
  const [profileAxis, ...axes] = base.axes;
  const points = expandGrid((profileAxis?.values ?? []).map(String), axes);
  runs.sort((a, b) => (a.point === b.point ? a.run - b.run : points.findIndex((p) => p.key === a.point) - points.findIndex((p) => p.key === b.point)));
  const summaries = summarise(points, runs);
  const { shard: _shard, ...rest } = base;
  return {
    ...rest,
    shardsMerged: docs.length,
    wallMs: docs.reduce((s, d) => s + d.doc.wallMs, 0),
    points: summaries,
    runs,
    recommendation: recommend(summaries, base.platform.cores),
    ...loopOf(summaries),
  };
}
