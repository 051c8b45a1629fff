/**
 * A child process of the workload bench (its own peak RSS is the figure): 135
 * evaluators, each instantiating its own drv through the daemon — 270 actors —
 * run 3 times on one threads runtime with the default host-thread cap. Prints
 * one JSON line: the actors of a run, each run's wall time (ms), and the
 * process's peak RSS (MiB).
 */
import { ThreadsRuntime } from '../../src/runtime/index.js';
import { DEFAULT_MAX_THREADS, profileByName } from '../../src/scenarios/index.js';
import { expandScenario } from '../../src/scenarios/file/expand.js';
import { parseScenario } from '../../src/scenarios/file/load.js';

export const EVALUATORS = 135;

const text = `
schemaVersion: 1
name: many-actors
summary: ${EVALUATORS} evaluators instantiating at once through the daemon
source: rootrace bench
costs: zero
derivations: [ { name: base }, { name: "d-{i}", inputDrvs: [base], repeat: ${EVALUATORS} } ]
processes: [ { name: "E-{i}", kind: evaluator, repeat: ${EVALUATORS}, steps: [ { instantiate: "d-{i}" } ] } ]
`;

const scenario = expandScenario(parseScenario('many-actors.yaml', text)).run;
const rt = new ThreadsRuntime({ timeoutMs: 30_000, maxThreads: DEFAULT_MAX_THREADS, record: true });
const walls: number[] = [];
let actors = 0;
try {
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await rt.run(scenario, profileByName('nix-2.35'), i + 1);
    walls.push(performance.now() - t0);
    actors = (r.recorded ?? []).filter((e) => e.type === 'inspect.process.start').length;
    if (r.findings.length > 0) throw new Error(`many-actors bench: unexpected finding ${r.findings[0]!.message}`);
  }
} finally {
  await rt.close();
}
console.log(JSON.stringify({ actors, walls, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
