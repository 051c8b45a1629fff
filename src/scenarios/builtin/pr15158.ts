/**
 * pr-15158 (NixOS/nix PR #15158, §10): evaluators that instantiate a drv set
 * sharing `hosts.drv`. A first wave writes everything and exits (its daemon
 * workers exit with it); a second wave instantiates again while the store is
 * below min-free, so the auto-GC inside each worker's first addToStore runs
 * between the (skipped) write of hosts.drv and the dependent's registration.
 *
 * Parameters: `evaluators` (second wave size), `shared` (shared derivations
 * besides hosts), `pressure` (min-free − free space, bytes).
 */
import { DEFAULT_SETTINGS } from '../../messages/profile.js';
import type { DerivationSpec, ProcessSpec, ScenarioRun } from '../../messages/scenario.js';

export interface Pr15158Params {
  readonly evaluators: number;
  readonly shared: number;
  readonly pressure: number;
}

export const PR15158_DEFAULTS: Pr15158Params = { evaluators: 2, shared: 1, pressure: 1 << 20 };

export function pr15158(p: Pr15158Params = PR15158_DEFAULTS): ScenarioRun {
  const drv = (name: string, inputDrvs: string[], inputSrcs: string[] = []): DerivationSpec => ({ name, inputDrvs, inputSrcs, outputs: ['out'], outputSize: 4096 });
  const shared = Array.from({ length: p.shared }, (_, i) => drv(`lib-${i}`, []));
  const derivations: DerivationSpec[] = [
    drv('hosts', [], ['hosts-src']),
    ...shared,
    // Each evaluator's own top-level drv depends on the shared ones: new for every evaluator.
    ...Array.from({ length: p.evaluators }, (_, i) => drv(`nixos-test-${i}`, ['hosts', ...shared.map((s) => s.name)])),
  ];
  const first: ProcessSpec = { name: 'X', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'hosts' }, ...shared.map((s) => ({ op: 'instantiate' as const, drv: s.name }))] };
  const wave: ProcessSpec[] = Array.from({ length: p.evaluators }, (_, i) => ({
    name: `E${i + 1}`,
    kind: 'evaluator',
    steps: [{ op: 'awaitExit', process: 'X' }, { op: 'instantiate', drv: `nixos-test-${i}` }],
  }));
  const freeSpace = 64 << 20;
  return {
    name: 'pr-15158',
    derivations,
    sources: [{ name: 'hosts-src', contents: '127.0.0.1 localhost\n', size: 128 }],
    initial: { drvs: [], srcs: [], roots: [], junk: [] },
    settings: { ...DEFAULT_SETTINGS, minFree: freeSpace + p.pressure, maxFree: freeSpace + p.pressure * 2, freeSpace },
    processes: [first, ...wave],
  };
}
