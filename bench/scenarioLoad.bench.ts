/**
 * Scenario loading at scale: parse, validate and expand a file whose `repeat`
 * makes N derivations (each depending on one base), then size its store. Rows
 * for N = 25,000 and 100,000 and the ratio of their times: linear expansion
 * keeps it near 4 (it was quadratic: 14 s at 8,000 derivations before #13).
 */
import { storeNeeds } from '../src/actors/storeNeeds.js';
import { expandScenario } from '../src/scenarios/file/expand.js';
import { parseScenario } from '../src/scenarios/file/load.js';
import { row, type BenchRow } from './row.js';

const text = (n: number): string => `
schemaVersion: 1
name: big
summary: many derivations
source: rootrace bench
derivations: [ { name: base }, { name: "d-{i}", inputDrvs: [base, "lib-*"], repeat: ${n} }, { name: lib-1 } ]
processes: [ { name: X, kind: evaluator, steps: [ instantiate: d-1 ] } ]
`;

function loadMs(n: number): number {
  const t0 = performance.now();
  const x = expandScenario(parseScenario('big.yaml', text(n)));
  storeNeeds(x.run);
  return performance.now() - t0;
}

export async function* scenarioLoadBench(): AsyncIterable<BenchRow> {
  loadMs(1000); // JIT
  const small = loadMs(25_000);
  const large = loadMs(100_000);
  yield { ...row({ bench: 'scenario load, 100,000 repeated derivations', value: large, unit: 'ms' }), target: 10_000, met: large <= 10_000 };
  yield { ...row({ bench: 'scenario load time, 100,000 vs 25,000 derivations (4 is linear)', value: large, unit: 'ms', baseline: small }), target: 6, met: large / small <= 6 };
}
