/**
 * `npm run bench`: runs every bench module and prints one JSON object per line
 * (see row.ts). Figures from one run are comparable with each other; across
 * runs on a shared machine they are not.
 */
import type { BenchModule } from './row.js';
import { storeBench } from './store.bench.js';
import { actorsBench } from './actors.bench.js';
import { reportBench } from './report.bench.js';
import { simBench } from './sim.bench.js';
import { sweepBench } from './sweep.bench.js';
import { scenarioLoadBench } from './scenarioLoad.bench.js';
import { reductionBench } from './reduction.bench.js';
import { workloadBench } from './workload.bench.js';

/** Every bench module, in run order: adding one is one line here. */
const modules: readonly BenchModule[] = [storeBench, actorsBench, reportBench, simBench, sweepBench, scenarioLoadBench, workloadBench, reductionBench];

for (const bench of modules) {
  for await (const r of bench()) console.log(JSON.stringify(r));
}
