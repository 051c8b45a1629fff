/**
 * Sim figures, each beside the threads runtime measured in the same process:
 * - decisions per second on pr-15158 with 8 evaluators (actors' own work
 *   included), and of the kernel alone (fibers doing nothing but ctx.step);
 * - wall time of one run of that scenario, sim beside threads;
 * - median wall time for `explore` (PCT, from a fresh seed, including the two
 *   confirming replays) to its first pr-15158 finding on nix-2.33, beside the
 *   threads runtime's time to the same finding (its first run with it).
 * Time rows are lower-is-better, so `met` is set here rather than by row().
 */
import { ThreadsRuntime, explore, SimRuntime } from '../src/runtime/index.js';
import { Kernel } from '../src/runtime/sim/kernel.js';
import { RandomStrategy } from '../src/runtime/sim/strategies/random.js';
import { openScenario, profileByName } from '../src/scenarios/index.js';
import { median, row, type BenchRow } from './row.js';

const heavy = openScenario('pr-15158').expand(['evaluators=8']).run;
const small = openScenario('pr-15158').expand(['evaluators=2']).run;
const hostsLost = /^path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid$/;

/** A lower-is-better row: `target` is a maximum on `value`. */
function timeRow(bench: string, value: number, target: number): BenchRow {
  return { ...row({ bench, value, unit: 'ms' }), target, met: value <= target };
}

/** Decisions per second of the kernel alone: 4 fibers that only park at ctx.step. */
async function kernelStepsPerSecond(steps: number): Promise<number> {
  const k = new Kernel(new RandomStrategy(1), Number.MAX_SAFE_INTEGER, {
    stuck: () => {
      throw new Error('kernel bench: stuck');
    },
  });
  let live = 4;
  for (let i = 0; i < 4; i++) {
    const a = k.newActor(`A${i}`, `A${i}`);
    k.spawn(a, async () => {
      for (let j = 0; j < steps / 4; j++) await k.park(a, 'step', 'bench.step');
    }, () => {
      if (--live === 0) k.finish();
    });
  }
  const t0 = performance.now();
  await k.run();
  return k.steps / ((performance.now() - t0) / 1000);
}

async function simStepsPerSecond(): Promise<{ rate: number; msPerRun: number }> {
  const rt = new SimRuntime({ hash: false });
  const profile = profileByName('nix-2.35');
  // JIT: the rate still climbs until about 300 runs (170 k → 275 k steps/s over the first 8 rounds of 40, measured #14).
  for (let i = 0; i < 300; i++) await rt.run(heavy, profile, i);
  const rates: number[] = [];
  const times: number[] = [];
  for (let t = 0; t < 5; t++) {
    let decisions = 0;
    const t0 = performance.now();
    for (let i = 0; i < 40; i++) decisions += (await rt.run(heavy, profile, 1000 + t * 40 + i)).sim.decisions;
    const ms = performance.now() - t0;
    rates.push(decisions / (ms / 1000));
    times.push(ms / 40);
  }
  return { rate: median(rates), msPerRun: median(times) };
}

async function threadsMsPerRun(rt: ThreadsRuntime): Promise<number> {
  const profile = profileByName('nix-2.35');
  for (let i = 0; i < 3; i++) await rt.run(heavy, profile, i); // start threads, JIT
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await rt.run(heavy, profile, 100 + i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** explore (PCT, default options) to its first pr-15158 finding, from fresh seeds. */
async function simTimeToFinding(): Promise<number> {
  const profile = profileByName('nix-2.33');
  const times: number[] = [];
  for (let s = 0; s < 9; s++) {
    const t0 = performance.now();
    const r = await explore({ scenario: small, profile, seed: 7000 + s, strategy: 'pct' });
    times.push(performance.now() - t0);
    if (!r.findings.some((f) => hostsLost.test(f.signature.message))) throw new Error(`sim bench: explore seed ${7000 + s} found no pr-15158 finding`);
  }
  return median(times);
}

/** Threads: runs until one has the pr-15158 finding, on a pool already started. */
async function threadsTimeToFinding(rt: ThreadsRuntime): Promise<number> {
  const profile = profileByName('nix-2.33');
  const times: number[] = [];
  for (let s = 0; s < 9; s++) {
    const t0 = performance.now();
    for (let i = 0; ; i++) {
      const r = await rt.run(small, profile, 7000 + s * 100 + i);
      if (r.findings.some((f) => hostsLost.test(f.message))) break;
      if (i > 50) throw new Error('threads bench: no pr-15158 finding in 50 runs');
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function* simBench(): AsyncGenerator<BenchRow> {
  await kernelStepsPerSecond(100_000); // JIT
  yield row({ bench: 'sim.kernel.steps/s (ctx.step only)', value: median([await kernelStepsPerSecond(400_000), await kernelStepsPerSecond(400_000), await kernelStepsPerSecond(400_000)]), unit: 'steps/s', target: 500_000 });
  const sim = await simStepsPerSecond();
  yield row({ bench: 'sim.steps/s (pr-15158, 8 evaluators, actors included)', value: sim.rate, unit: 'steps/s', target: 600_000 }); // #14's target
  const rt = new ThreadsRuntime({ timeoutMs: 30_000 });
  try {
    yield row({ bench: 'sim.run(pr-15158, 8 evaluators) vs threads', value: sim.msPerRun, unit: 'ms/run', baseline: await threadsMsPerRun(rt) });
    const simMs = await simTimeToFinding();
    yield timeRow('sim.explore.timeToFirstFinding(pr-15158, nix-2.33)', simMs, 1000);
    yield row({ bench: 'sim.explore.timeToFirstFinding vs threads', value: simMs, unit: 'ms', baseline: await threadsTimeToFinding(rt) });
  } finally {
    await rt.close();
  }
}
