import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SweepDocument, SweepRunRecord } from '../../../src/messages/sweep.js';
import { recommend, summarise } from '../../../src/scenarios/sweep/aggregate.js';
import { mergeSweeps } from '../../../src/scenarios/sweep/merge.js';
import { expandGrid, parseAxis, parseShard, planRuns, pointSeed } from '../../../src/scenarios/sweep/plan.js';
import { wilson } from '../../../src/scenarios/sweep/stats.js';
import { sweepCsv, sweepMarkdown, sweepTable } from '../../../src/report/sweepTable.js';
import { sweepHtml } from '../../../src/report/sweepHtml.js';
import { sweepDocument } from '../../fixtures/sweepDoc.js';

describe('wilson', () => {
  it('matches known values', () => {
    const a = wilson(0, 10);
    expect(a.low).toBe(0);
    expect(a.high).toBeCloseTo(0.2775, 3);
    const b = wilson(10, 10);
    expect(b.high).toBe(1);
    expect(b.low).toBeCloseTo(0.7225, 3);
    const c = wilson(5, 10);
    expect(c.low).toBeCloseTo(0.2366, 3);
    expect(c.high).toBeCloseTo(0.7634, 3);
  });

  it('always satisfies 0 ≤ low ≤ rate ≤ high ≤ 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (a, b) => {
        const n = Math.max(a, b);
        const k = Math.min(a, b);
        const { low, high } = wilson(k, n);
        const p = n ? k / n : 0;
        return low >= 0 && low <= p + 1e-12 && p <= high + 1e-12 && high <= 1;
      }),
    );
  });
});

describe('plan', () => {
  const points = expandGrid(['nix-2.33', 'nix-2.35'], [parseAxis('workers=1,2,4'), parseAxis('evaluators=2,8')]);

  it('is the cartesian product, profile first, with stable keys', () => {
    expect(points).toHaveLength(12);
    expect(points[0]!.key).toBe('profile=nix-2.33,workers=1,evaluators=2');
    expect(points.at(-1)!.key).toBe('profile=nix-2.35,workers=4,evaluators=8');
  });

  it('derives a point seed from the root seed and the point alone', () => {
    const other = expandGrid(['nix-2.35'], [parseAxis('workers=4'), parseAxis('evaluators=8')]);
    expect(pointSeed(7, other[0]!)).toBe(pointSeed(7, points.at(-1)!));
    expect(pointSeed(7, points[0]!)).not.toBe(pointSeed(8, points[0]!));
  });

  it('shards partition the runs exactly', () => {
    const all = planRuns(points, 5, 1).map((r) => `${r.point.key}#${r.run}@${r.seed}`);
    const parts = [1, 2, 3].flatMap((i) => planRuns(points, 5, 1, { i, n: 3 }).map((r) => `${r.point.key}#${r.run}@${r.seed}`));
    expect(parts.sort()).toEqual([...all].sort());
    expect(new Set(parts).size).toBe(all.length);
  });

  it('rejects bad axes and shards with clear messages', () => {
    expect(() => parseAxis('workers')).toThrow(/--param expects name=v1,v2/);
    expect(() => parseAxis('workers=1,x')).toThrow(/non-negative integers, got 'x'/);
    expect(() => parseAxis('workers=1,1')).toThrow(/twice/);
    expect(() => parseShard('3/2')).toThrow(/--shard expects i\/n/);
    expect(() => parseShard('0/2')).toThrow(/--shard/);
  });
});

function records(points: ReturnType<typeof expandGrid>, runs: number, failing: (key: string, r: number) => boolean): SweepRunRecord[] {
  return planRuns(points, runs, 3).map((p) => ({
    point: p.point.key,
    run: p.run,
    seed: p.seed,
    finding: failing(p.point.key, p.run),
    kinds: failing(p.point.key, p.run) ? ['invalid-reference'] : [],
    firstFindingUs: failing(p.point.key, p.run) ? 1000 * (p.run + 1) : null,
    wallMs: 10 * (Number(/workers=(\d+)/.exec(p.point.key)?.[1] ?? 1)),
    storeOps: 100,
  }));
}

function doc(points: ReturnType<typeof expandGrid>, runs: SweepRunRecord[], shard?: string): SweepDocument {
  const s = summarise(points, runs);
  return sweepDocument({ ...(shard ? { shard } : {}), points: s, runs, recommendation: recommend(s, 2) });
}

describe('summaries, merge and renderers', () => {
  const points = expandGrid(['nix-2.33', 'nix-2.35'], [parseAxis('workers=1,2,4')]);
  const all = records(points, 4, (k) => k.includes('2.33'));

  it('summarises rate, interval, first failing seed, time to finding, throughput', () => {
    const s = summarise(points, all);
    const bad = s.find((p) => p.point === 'profile=nix-2.33,workers=1')!;
    expect(bad).toMatchObject({ runs: 4, runsWithFinding: 4, rate: 1, high: 1, medianTimeToFindingMs: 2.5 });
    expect(bad.low).toBeGreaterThan(0.4);
    expect(bad.firstFailingSeed).toBe(all.find((r) => r.point === bad.point && r.run === 0)!.seed);
    expect(bad.runsPerSecond).toBeCloseTo(100);
    const good = s.find((p) => p.point === 'profile=nix-2.35,workers=4')!;
    expect(good).toMatchObject({ rate: 0, low: 0, firstFailingSeed: null, medianTimeToFindingMs: null });
  });

  it('recommends in words, including where more workers stop helping', () => {
    const r = recommend(summarise(points, all), 2);
    expect(r[0]).toMatch(/^Reproduces fastest at profile=nix-2\.33, workers=1/);
    expect(r.join('\n')).toMatch(/adding workers beyond 1 gains under 10% throughput/);
  });

  it('merging shards gives exactly the whole sweep', () => {
    const whole = doc(points, all);
    const shards = [1, 2].map((i) => {
      const mine = new Set(planRuns(points, 4, 3, { i, n: 2 }).map((p) => `${p.point.key}#${p.run}`));
      return { file: `s${i}.json`, doc: doc(points, all.filter((r) => mine.has(`${r.point}#${r.run}`)), `${i}/2`) };
    });
    const { doc: merged, warnings } = mergeSweeps(shards);
    expect(merged.points).toEqual(whole.points);
    expect(merged.runs).toEqual(whole.runs);
    expect(merged.shardsMerged).toBe(2);
    expect(warnings).toEqual([]);
    expect(() => mergeSweeps([shards[0]!, shards[0]!])).toThrow(/s1\.json: shard 1\/2 given twice \(also s1\.json\)/);
    expect(() => mergeSweeps([shards[0]!, { file: 'x.json', doc: { ...shards[1]!.doc, rootSeed: 9 } }])).toThrow(/x\.json: not a shard of the same sweep as s1\.json: root seed 9 here, 3 there/);
    const withInputs = (k: number, inputs: string) => ({ file: `s${k + 1}.json`, doc: { ...shards[k]!.doc, inputs } });
    expect(() => mergeSweeps([withInputs(0, 'a'.repeat(64)), withInputs(1, 'b'.repeat(64))])).toThrow(/s2\.json: not a shard of the same sweep as s1\.json: inputs \(the scenario file, --set, the profiles' switches\) "?bbbbbbbbbbbb…"? here/);
    expect(mergeSweeps([withInputs(0, 'a'.repeat(64)), withInputs(1, 'a'.repeat(64))]).doc.inputs).toBe('a'.repeat(64));
  });

  it('an incomplete shard set is refused, naming what is missing; --partial merges it with a warning', () => {
    const shards = [1, 2, 3].map((i) => {
      const mine = new Set(planRuns(points, 4, 3, { i, n: 3 }).map((p) => `${p.point.key}#${p.run}`));
      return { file: `s${i}.json`, doc: doc(points, all.filter((r) => mine.has(`${r.point}#${r.run}`)), `${i}/3`) };
    });
    const two = [shards[0]!, shards[2]!];
    expect(() => mergeSweeps(two)).toThrow(/^incomplete shard set: missing 2\/3 \(have 1\/3 \(s1\.json\), 3\/3 \(s3\.json\)\); merge --partial merges what is there$/);
    const partial = mergeSweeps(two, { partial: true });
    expect(partial.warnings).toEqual(['incomplete shard set: missing 2/3 (have 1/3 (s1.json), 3/3 (s3.json))']);
    expect(partial.doc.missingShards).toEqual(['2/3']);
    expect(partial.doc.runs).toHaveLength(two[0]!.doc.runs.length + two[1]!.doc.runs.length);
    // A shard cut short (interrupted, or truncated by hand) is incomplete too; an edited seed is another sweep's run.
    const cut = { file: 's2.json', doc: { ...shards[1]!.doc, runs: shards[1]!.doc.runs.slice(1), interrupted: { signal: 'SIGINT', runsPlanned: 8 } } };
    expect(() => mergeSweeps([shards[0]!, cut, shards[2]!])).toThrow(/s2\.json: shard 2\/3 has 7 of its 8 runs \(interrupted by SIGINT\)/);
    const reseeded = { file: 's2.json', doc: { ...shards[1]!.doc, runs: shards[1]!.doc.runs.map((r, k) => (k === 0 ? { ...r, seed: r.seed + 1 } : r)) } };
    expect(() => mergeSweeps([shards[0]!, reseeded, shards[2]!])).toThrow(/s2\.json: runs\[0\]: run .* has seed \d+, but the sweep's plan gives it \d+/);
    expect(() => mergeSweeps([shards[0]!, { file: 'w.json', doc: doc(points, all) }])).toThrow(/w\.json: a whole sweep \(no shard\), merged with s1\.json/);
  });

  it('renders a table, CSV, Markdown and self-contained HTML with one data point per point and chart', () => {
    const d = doc(points, all);
    expect(sweepTable(d)).toMatch(/nix-2\.33\s+1\s+4\s+4\s+1\.00\s+\[0\.\d\d, 1\.00\]/);
    expect(sweepCsv(d).split('\n')[0]).toBe('profile,workers,runs,runs_with_finding,rate,ci_low,ci_high,first_failing_seed,median_ms_to_finding,runs_per_s,store_ops_per_s');
    expect(sweepMarkdown(d)).toMatch(/^\| profile \| workers \| runs/m);
    const html = sweepHtml(d);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/class="point" data-kind="rate"/g)).toHaveLength(6);
    expect(html.match(/class="point" data-kind="throughput"/g)).toHaveLength(6);
    expect(html.match(/class="band"/g)).toHaveLength(2);
  });
});
