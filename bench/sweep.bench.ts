/**
 * Sweep throughput: the same sim sweep with --jobs 1 and --jobs 2 in one run
 * (target: ≥ 1.4× on two cores, #14). Each figure is the median of 3 sweeps of
 * 2,000 runs; the pool's thread start-up is inside the timing, as a user sees it.
 * Beside it, the CPU time per run (every thread of the process, process.cpuUsage).
 */
import { profileByName, scenarioBuilder } from '../src/scenarios/index.js';
import { parseAxis } from '../src/scenarios/sweep/plan.js';
import { runSweep } from '../src/scenarios/sweep/runSweep.js';
import { median, row, type BenchRow } from './row.js';

async function runsPerSecond(jobs: number, cpu: number[] = []): Promise<number> {
  const b = scenarioBuilder('pr-15158', []);
  const profiles = ['nix-2.33', 'nix-2.35'].map((p) => b.profile(profileByName(p)));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = await runSweep({
    scenario: b.name,
    build: (p) => b.build(p),
    profiles,
    axes: [parseAxis('evaluators=2,4')],
    runs: 500,
    runtime: 'sim',
    jobs,
    rootSeed: 1,
    timeoutMs: 30_000,
    version: 'bench',
  });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000 / doc.runs.length);
  return doc.runs.length / (ms / 1000);
}

export async function* sweepBench(): AsyncGenerator<BenchRow> {
  await runsPerSecond(2); // warm the file cache and JIT
  const one: number[] = [];
  const two: number[] = [];
  const cpuOne: number[] = [];
  const cpuTwo: number[] = [];
  for (let i = 0; i < 3; i++) {
    one.push(await runsPerSecond(1, cpuOne));
    two.push(await runsPerSecond(2, cpuTwo));
  }
  yield row({ bench: 'sweep.sim.runsPerSecond.jobs1', value: median(one), unit: 'runs/s' });
  yield row({ bench: 'sweep.sim.runsPerSecond.jobs2', value: median(two), unit: 'runs/s', baseline: median(one), target: 1.4 });
  yield row({ bench: 'sweep.sim CPU per run, --jobs 1 / --jobs 2', value: median(cpuOne), unit: 'ms CPU/run', baseline: median(cpuTwo) });
}
