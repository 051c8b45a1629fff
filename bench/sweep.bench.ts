/**
 * Sweep throughput: the same sim sweep with --jobs 1 and --jobs 2 in one run
 * (target: ≥ 1.4× on two cores, #14), at two sizes: 2,000 runs (4 points of
 * 500) and 10,000 runs (4 points of 2,500). Each figure is the median of 3
 * sweeps; the pool's thread start-up is inside the timing, as a user sees it.
 * A fresh pool thread needs about 1,500 pr-15158 runs before V8 has compiled
 * the hot code, and two threads warming at once share the two cores with V8's
 * compiler threads, so the small sweep measures warm-up more than the sweep.
 * Beside it, the CPU time per run (every thread of the process, process.cpuUsage).
 */
import { profileByName, scenarioBuilder } from '../src/scenarios/index.js';
import { parseAxis } from '../src/scenarios/sweep/plan.js';
import { runSweep } from '../src/scenarios/sweep/runSweep.js';
import { median, row, type BenchRow } from './row.js';

async function runsPerSecond(jobs: number, runs: number, cpu: number[] = []): Promise<number> {
  const b = scenarioBuilder('pr-15158', []);
  const profiles = ['nix-2.33', 'nix-2.35'].map((p) => b.profile(profileByName(p)));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = await runSweep({
    scenario: b.name,
    build: (p) => b.build(p),
    profiles,
    axes: [parseAxis('evaluators=2,4')],
    runs,
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
  await runsPerSecond(2, 500); // warm the file cache
  for (const perPoint of [500, 2500]) {
    const total = `${(perPoint * 4).toLocaleString('en')} runs`;
    const one: number[] = [];
    const two: number[] = [];
    const cpuOne: number[] = [];
    const cpuTwo: number[] = [];
    for (let i = 0; i < 3; i++) {
      one.push(await runsPerSecond(1, perPoint, cpuOne));
      two.push(await runsPerSecond(2, perPoint, cpuTwo));
    }
    yield row({ bench: `sweep.sim.runsPerSecond.jobs1 (${total})`, value: median(one), unit: 'runs/s' });
    yield row({ bench: `sweep.sim.runsPerSecond.jobs2 (${total})`, value: median(two), unit: 'runs/s', baseline: median(one), target: 1.4 });
    yield row({ bench: `sweep.sim CPU per run, --jobs 1 / --jobs 2 (${total})`, value: median(cpuOne), unit: 'ms CPU/run', baseline: median(cpuTwo) });
  }
}
