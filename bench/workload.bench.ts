/**
 * #14's workload rows:
 * - race runs per second on instantiate-then-realise (one run is one race
 *   iteration: instantiate, GC, realise), sim (target ≥ 5,000: 500× real Nix's
 *   ~10/s) and threads warm, on threads started before (target ≥ 200);
 * - 270 actors (135 evaluators and their daemon workers) on the default host
 *   threads, in a child process so its peak RSS is the run's own: the first
 *   run's wall time, a later run's (target < 1 s), and the peak (≤ 500 MiB).
 * Lower-is-better rows set `met` here rather than by row().
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SimRuntime, ThreadsRuntime } from '../src/runtime/index.js';
import { openScenario, profileByName } from '../src/scenarios/index.js';
import { median, row, type BenchRow } from './row.js';

const itr = openScenario('instantiate-then-realise').expand([]).run;
const profile = profileByName('nix-2.35');

/** Runs per second of `run` (given each run's seed): `warm` runs first, then the median of `rounds` timed rounds. */
async function runsPerSecond(run: (seed: number) => Promise<unknown>, warm: number, rounds: number, perRound: number): Promise<number> {
  for (let i = 0; i < warm; i++) await run(i); // JIT (and, on threads, their start)
  const rates: number[] = [];
  for (let t = 0; t < rounds; t++) {
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) await run(10_000 + t * perRound + i);
    rates.push(perRound / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function simRunsPerSecond(): Promise<number> {
  const rt = new SimRuntime({ hash: false });
  return runsPerSecond((seed) => rt.run(itr, profile, seed), 500, 5, 2000);
}

async function threadsRunsPerSecond(): Promise<number> {
  const rt = new ThreadsRuntime({ timeoutMs: 30_000 });
  try {
    return await runsPerSecond((seed) => rt.run(itr, profile, seed), 30, 3, 100);
  } finally {
    await rt.close();
  }
}

interface ManyActors {
  readonly actors: number;
  readonly walls: readonly number[];
  readonly maxRssMiB: number;
}

function manyActors(): Promise<ManyActors> {
  const script = fileURLToPath(new URL('./workers/manyActors.js', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script], { timeout: 300_000 }, (err, stdout, stderr) => (err ? reject(new Error(`manyActors bench: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as ManyActors))),
  );
}

export async function* workloadBench(): AsyncIterable<BenchRow> {
  yield row({ bench: 'sim runs/s, instantiate-then-realise (one race iteration each)', value: await simRunsPerSecond(), unit: 'runs/s', target: 5000 });
  yield row({ bench: 'threads runs/s warm, instantiate-then-realise', value: await threadsRunsPerSecond(), unit: 'runs/s', target: 200 });
  const m = await manyActors();
  yield row({ bench: `threads, ${m.actors} actors: first run`, value: m.walls[0]!, unit: 'ms' });
  const later = median(m.walls.slice(1));
  yield { ...row({ bench: `threads, ${m.actors} actors: a later run (its start included)`, value: later, unit: 'ms' }), target: 1000, met: later < 1000 };
  yield row({ bench: `threads, ${m.actors} actors: peak RSS of the process`, value: m.maxRssMiB, unit: 'MiB', target: 500 });
}
