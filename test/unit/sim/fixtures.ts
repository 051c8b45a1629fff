/** Small scenarios for sim tests, built as ScenarioRun literals. */
import { DEFAULT_SETTINGS } from '../../../src/messages/profile.js';
import type { ScenarioRun } from '../../../src/messages/scenario.js';

const foo = { name: 'foo', inputDrvs: [], inputSrcs: [], outputs: ['out'], outputSize: 100 };

/**
 * `nix-store -r $(nix-instantiate foo.nix)` with a concurrent `nix-collect-garbage`
 * and no barriers: whether the GC deletes the unrooted drv between the two
 * commands is purely a matter of timing.
 */
export const tinyScenario: ScenarioRun = {
  name: 'instantiate-then-realise-gc-loop',
  derivations: [foo],
  sources: [],
  initial: { drvs: [], srcs: [], roots: [], junk: [] },
  settings: DEFAULT_SETTINGS,
  processes: [
    { name: 'I', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'foo' }] },
    { name: 'R', kind: 'evaluator', steps: [{ op: 'awaitExit', process: 'I' }, { op: 'realise', drv: 'foo' }] },
    { name: 'G', kind: 'nix-collect-garbage', steps: [{ op: 'collectGarbage' }] },
  ],
};

/** kill -9 of a daemon worker, then a GC (as test/integration/killWorker.test.ts on threads). */
export const killWorker: ScenarioRun = {
  name: 'kill-worker',
  derivations: [foo],
  sources: [],
  initial: { drvs: [], srcs: [], roots: [], junk: [] },
  settings: DEFAULT_SETTINGS,
  processes: [
    { name: 'A', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'foo' }, { op: 'killDaemonWorker' }, { op: 'barrier', name: 'killed' }, { op: 'barrier', name: 'collected' }] },
    { name: 'G', kind: 'nix-collect-garbage', steps: [{ op: 'barrier', name: 'killed' }, { op: 'collectGarbage' }, { op: 'barrier', name: 'collected' }] },
  ],
};

/** Two processes waiting for each other's exit. */
export const mutualWait: ScenarioRun = {
  ...killWorker,
  name: 'mutual-wait',
  processes: [
    { name: 'A', kind: 'evaluator', steps: [{ op: 'awaitExit', process: 'B' }] },
    { name: 'B', kind: 'evaluator', steps: [{ op: 'awaitExit', process: 'A' }] },
  ],
};
