/**
 * From run records to point summaries and a recommendation in words. Pure, so
 * a merged set of shards gives exactly what the whole sweep gives.
 */
import type { IterationSummary, SweepPointSummary, SweepRunRecord } from '../../messages/sweep.js';
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
    const timed = rs.filter((r) => r.modelMs !== undefined);
    const modelMs = timed.length === rs.length && rs.length > 0 ? timed.reduce((s, r) => s + r.modelMs!, 0) / rs.length : null;
    const iterations = iterationSummaries(rs, modelMs);
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
      ...(iterations.length > 0 ? { iterations } : {}),
      ...(modelMs !== null ? { modelMs } : {}),
      ...(trace ? { trace } : {}),
    };
  });
}

/** Per looping process: failures per iteration (Wilson interval) and iterations per model second. */
function iterationSummaries(rs: readonly SweepRunRecord[], modelMs: number | null): IterationSummary[] {
  const by = new Map<string, { total: number; failed: number }>();
  for (const r of rs) {
    for (const [proc, c] of Object.entries(r.iterations ?? {})) {
      const acc = by.get(proc) ?? { total: 0, failed: 0 };
      acc.total += c.total;
      acc.failed += c.failed;
      by.set(proc, acc);
    }
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([process, c]) => {
    const { low, high } = wilson(c.failed, c.total);
    const perModelSecond = modelMs !== null && modelMs > 0 ? c.total / rs.length / (modelMs / 1000) : null;
    return { process, total: c.total, failed: c.failed, rate: c.total ? c.failed / c.total : 0, low, high, perModelSecond };
  });
}

/** The loop whose failures a sweep is about: the one that failed most (then the one with most iterations). */
export function mainLoop(points: readonly SweepPointSummary[]): string | null {
  const by = new Map<string, { failed: number; total: number }>();
  for (const p of points) {
    for (const it of p.iterations ?? []) {
      const acc = by.get(it.process) ?? { failed: 0, total: 0 };
      acc.failed += it.failed;
      acc.total += it.total;
      by.set(it.process, acc);
    }
  }
  let best: string | null = null;
  for (const [k, v] of by) {
    const b = best === null ? null : by.get(best)!;
    if (!b || v.failed > b.failed || (v.failed === b.failed && v.total > b.total)) best = k;
  }
  return best;
}

const label = (s: SweepPointSummary): string => s.point.replace(/,/g, ', ');

/** The closing words: fastest to reproduce, highest throughput, where more workers stop helping. */
export function recommend(points: readonly SweepPointSummary[], cores: number, workersAreHostThreads = true): string[] {
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
  out.push(...tradeOff(points));
  // `workers` as the host-thread cap: where more threads stop paying off on this machine (not a scenario's own `workers`).
  const withWorkers = workersAreHostThreads ? points.filter((p) => p.params['workers'] !== undefined) : [];
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

/**
 * With loops and model time: the point that gets most iterations done per model
 * second against the one that loses the fewest of them, e.g. more eval-jobs
 * workers evaluate faster but more of their jobs are collected before they are built.
 */
function tradeOff(points: readonly SweepPointSummary[]): string[] {
  const loop = mainLoop(points);
  if (loop === null) return [];
  const rows = points.flatMap((p) => {
    const it = p.iterations?.find((x) => x.process === loop);
    return it ? [{ p, it }] : [];
  });
  const timed = rows.filter((r) => r.it.perModelSecond !== null);
  const safest = rows.reduce((a, b) => (b.it.rate < a.it.rate || (b.it.rate === a.it.rate && (b.it.perModelSecond ?? 0) > (a.it.perModelSecond ?? 0)) ? b : a));
  const out = [`Fewest failing ${loop} iterations at ${label(safest.p)}: ${pct(safest.it.rate)} [${pct(safest.it.low)}, ${pct(safest.it.high)}] of ${safest.it.total}.`];
  if (timed.length > 0) {
    const fastest = timed.reduce((a, b) => (b.it.perModelSecond! > a.it.perModelSecond! ? b : a));
    if (fastest !== safest) {
      const ratio = safest.it.perModelSecond ? ` (${(fastest.it.perModelSecond! / safest.it.perModelSecond).toFixed(1)}× the iterations per model second)` : '';
      out.push(`Trade-off: ${label(fastest.p)} runs ${fastest.it.perModelSecond!.toFixed(1)} ${loop} iterations per model second${ratio} but ${pct(fastest.it.rate)} [${pct(fastest.it.low)}, ${pct(fastest.it.high)}] of them fail.`);
    } else out.push(`It is also the fastest: ${fastest.it.perModelSecond!.toFixed(1)} ${loop} iterations per model second.`);
  }
  return out;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The document field naming the main loop, when the sweep has loops. */
export function loopOf(points: readonly SweepPointSummary[]): { mainLoop?: string } {
  const loop = mainLoop(points);
  return loop === null ? {} : { mainLoop: loop };
}
