/**
 * DFS partial-order reduction (#14 item 3) on pr-15158, each row beside the
 * search without it measured in the same run:
 * - 2 evaluators at bound 1 on nix-2.33 and nix-2.35: schedules run to the
 *   end with the reduction against the distinct traces the unreduced search
 *   covers (target: within 10%), and whether the findings are the same;
 * - 2 evaluators at bound 1 on nix-2.35 with the reduction, on one thread and
 *   shared between as many threads as there are cores (explore --jobs): time;
 * - 3 evaluators at bound 1 on nix-2.35, on every core: wall time (target < 5 min);
 * - 1 evaluator with no bound: wall time, met when it ends exhaustive.
 * Lower-is-better rows set `met` here rather than by row().
 */
import { availableParallelism } from 'node:os';
import { explore, exploreParallel, type ExploreReport, type ReductionMode } from '../src/runtime/index.js';
import { openScenario, profileByName } from '../src/scenarios/index.js';
import { row, type BenchRow } from './row.js';

const scenario = (n: number) => openScenario('pr-15158').expand([`evaluators=${n}`]).run;

async function search(evaluators: number, profile: string, preemptions: number, reduction: ReductionMode, timeLimitMs = 3_600_000, jobs = 1): Promise<{ r: ExploreReport; ms: number }> {
  const t0 = performance.now();
  const o = { scenario: scenario(evaluators), profile: profileByName(profile), seed: 1, strategy: 'dfs' as const, preemptions, all: true, maxSchedules: 100_000_000, timeLimitMs, reduction };
  const r = jobs > 1 ? await exploreParallel({ ...o, jobs }) : await explore(o);
  return { r, ms: performance.now() - t0 };
}

const findings = (r: ExploreReport): string => r.findings.map((f) => `${f.signature.kind}\u0000${f.signature.message}`).sort().join('\n');

export async function* reductionBench(): AsyncIterable<BenchRow> {
  const reducedOn = new Map<string, { r: ExploreReport; ms: number }>();
  for (const profile of ['nix-2.35', 'nix-2.33']) {
    const full = await search(2, profile, 1, 'count');
    const reduced = await search(2, profile, 1, 'prune');
    reducedOn.set(profile, reduced);
    const traces = full.r.reduction!.traces;
    const ratio = reduced.r.schedules / traces;
    yield { ...row({ bench: `dfs pr-15158 2 evaluators bound 1 ${profile}: schedules with reduction vs distinct traces (${full.r.schedules} schedules without)`, value: reduced.r.schedules, unit: 'schedules', baseline: traces }), target: 1.1, met: ratio <= 1.1 };
    yield { ...row({ bench: `dfs pr-15158 2 evaluators bound 1 ${profile}: time with reduction vs without`, value: reduced.ms, unit: 'ms', baseline: full.ms }) };
    yield { ...row({ bench: `dfs pr-15158 2 evaluators bound 1 ${profile}: same findings with and without reduction (1 = yes)`, value: findings(full.r) === findings(reduced.r) && full.r.stoppedBy === reduced.r.stoppedBy ? 1 : 0, unit: 'bool', target: 1 }) };
  }
  const cores = availableParallelism();
  const one = reducedOn.get('nix-2.35')!;
  const shared = await search(2, 'nix-2.35', 1, 'prune', 3_600_000, cores);
  yield { ...row({ bench: `dfs pr-15158 2 evaluators bound 1 nix-2.35: one thread vs --jobs ${cores} (${shared.r.reduction!.traces} vs ${one.r.reduction!.traces} traces; per thread ${shared.r.parallel!.schedulesPerShare.join('+')})`, value: one.ms, unit: 'ms', baseline: shared.ms }) };
  // Stopped at its target: a search that has not ended by then has missed it either way.
  const three = await search(3, 'nix-2.35', 1, 'prune', 300_000, cores);
  yield { ...row({ bench: `dfs pr-15158 3 evaluators bound 1 nix-2.35 with reduction, --jobs ${cores} (${three.r.stoppedBy}, ${three.r.schedules} schedules)`, value: three.ms, unit: 'ms' }), target: 300_000, met: three.ms <= 300_000 && three.r.stoppedBy === 'exhausted' };
  const unbounded = await search(1, 'nix-2.35', Infinity, 'prune');
  yield { ...row({ bench: `dfs pr-15158 1 evaluator no bound nix-2.35 with reduction (${unbounded.r.stoppedBy}, ${unbounded.r.reduction!.traces} traces)`, value: unbounded.ms, unit: 'ms' }), target: 60_000, met: unbounded.r.stoppedBy === 'exhausted' && unbounded.ms <= 60_000 };
}
