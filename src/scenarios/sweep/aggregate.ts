/**
 * From run records to point summaries and a recommendation in words. Pure, so
 * a merged set of shards gives exactly what the whole sweep gives.
 */
import type { SweepPointSummary, SweepRunRecord } from '../../messages/sweep.js';
import type { Point } from './plan.js';
import { median, wilson } from './stats.js';

export function summarise(points: readonly Point[], runs: readonly SweepRunRecord[]): SweepPointSummary[] {
  const byPoint = new Map<string, SweepRunRecord[]>();
  for (const r of runs) (byPoint.get(r.point) ?? byPoint.set(r.point, []).get(r.point)!).push(r);
  return points.map((p) => {
    const rs = (byPoint.get(p.key) ?? []).slice().sort((a, b) => a.run - b.run);
    const failing = rs.filter((r) => r.finding);
    const { low, high } = wilson(failing.length, rs.length);
    const wall = rs.reduce((s, r) => s + r.wallMs, 0);
    const ops = rs.reduce((s, r) => s + r.storeOps, 0);
    const ttf = median(failing.flatMap((r) => (r.firstFindingUs === null ? [] : [r.firstFindingUs / 1000])));
    const trace = failing.find((r) => r.trace)?.trace;
    return {
      point: p.key,
      profile: p.profile,
      params: p.params,
      runs: rs.length,
      runsWithFinding: failing.length,
      rate: rs.length ? failing.length / rs.length : 0,
      low,
      high,
      firstFailingSeed: failing[0]?.seed ?? null,
      medianTimeToFindingMs: ttf,
      runsPerSecond: wall > 0 ? rs.length / (wall / 1000) : 0,
      storeOpsPerSecond: wall > 0 ? ops / (wall / 1000) : 0,
      ...(trace ? { trace } : {}),
    };
  });
}

const label = (s: SweepPointSummary): string => s.point.replace(/,/g, ', ');

/** The closing words: fastest to reproduce, highest throughput, where more workers stop helping. */
export function recommend(points: readonly SweepPointSummary[], cores: number): string[] {
  const out: string[] = [];
  const failing = points.filter((p) => p.runsWithFinding > 0);
  if (failing.length === 0) out.push('No setting reproduced a finding.');
  else {
    // Findings per second of wall time: how soon a CI loop at this setting sees the race.
    const best = failing.reduce((a, b) => (b.rate * b.runsPerSecond > a.rate * a.runsPerSecond ? b : a));
    out.push(`Reproduces fastest at ${label(best)}: rate ${best.rate.toFixed(2)} [${best.low.toFixed(2)}, ${best.high.toFixed(2)}] at ${best.runsPerSecond.toFixed(1)} runs/s.`);
  }
  if (points.length > 0) {
    const fast = points.reduce((a, b) => (b.storeOpsPerSecond > a.storeOpsPerSecond ? b : a));
    out.push(`Highest throughput at ${label(fast)}: ${fast.storeOpsPerSecond.toFixed(0)} store ops/s (${fast.runsPerSecond.toFixed(1)} runs/s).`);
  }
  const withWorkers = points.filter((p) => p.params['workers'] !== undefined);
  if (withWorkers.length > 1) {
    const groups = new Map<string, SweepPointSummary[]>();
    for (const p of withWorkers) {
      const rest = p.point.split(',').filter((kv) => !kv.startsWith('workers=')).join(',');
      (groups.get(rest) ?? groups.set(rest, []).get(rest)!).push(p);
    }
    for (const [rest, g] of groups) {
      const sorted = g.slice().sort((a, b) => a.params['workers']! - b.params['workers']!);
      let knee: SweepPointSummary | undefined;
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i]!.storeOpsPerSecond < sorted[i - 1]!.storeOpsPerSecond * 1.1) {
          knee = sorted[i - 1];
          break;
        }
      }
      out.push(
        knee
          ? `At ${rest.replace(/,/g, ', ')}, adding workers beyond ${knee.params['workers']} gains under 10% throughput on this machine's ${cores} cores.`
          : `At ${rest.replace(/,/g, ', ')}, throughput still grows at the most workers tried (${sorted.at(-1)!.params['workers']}) on ${cores} cores.`,
      );
    }
  }
  return out;
}
