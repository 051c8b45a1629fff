/**
 * Crash-point sweeps (issue #15 item 2) on the sim runtime: every step a run
 * of pr-15158 and of heavy-load reaches is a crash point, and a death at any
 * of them must leave the simulator sound — each run ends with a result, the
 * crash lands where the census said, every flock is released once every
 * process has ended, and no crash alone breaks GC safety or the closure.
 */
import { describe, expect, it } from 'vitest';
import { crashSweep, openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

const sweep = async (name: string, params: string[], signal: 'kill' | 'term') => {
  const x = openScenario(name).expand(params);
  const [profile] = profilesFor(x, ['nix-2.35'], []);
  return crashSweep(x.run, profile!, { signal, seed: 1 });
};

describe.each(['kill', 'term'] as const)('crashpoints --signal %s --profile nix-2.35', (signal) => {
  it.each([
    { name: 'pr-15158', params: [] as string[], atLeast: 60 },
    { name: 'heavy-load', params: ['evaluators=2'], atLeast: 150 },
  ])('$name $params: every crash point runs to a result with every lock released and no invariant broken', async ({ name, params, atLeast }) => {
    const r = await sweep(name, [...params], signal);
    expect(r.baseline.bugs).toEqual([]);
    expect(r.baseline.findings).toEqual([]);
    expect(r.points.length).toBeGreaterThanOrEqual(atLeast);
    expect(r.points.filter((p) => !p.fired)).toEqual([]);
    expect(r.points.flatMap((p) => p.bugs)).toEqual([]);
    expect(r.points.flatMap((p) => p.violations)).toEqual([]);
    expect(r.points.flatMap((p) => p.findings).filter((f) => f.kind === 'gc-safety' || f.kind === 'closure' || f.kind === 'deadlock')).toEqual([]);
    // Every actor of the run is a crash point somewhere; a worker's death is its client's EOF.
    const actors = new Set(r.points.map((p) => p.point.process));
    for (const a of ['X', 'W(X)', 'gc-thread(W(X))', 'E1', 'W(E1)', 'gc-thread(W(E1))']) expect(actors.has(a)).toBe(true);
    const worker = r.points.find((p) => p.point.process === 'W(E1)')!;
    expect(worker.findings).toEqual([{ kind: 'client-error', message: 'Nix daemon disconnected unexpectedly (maybe it crashed?)', actor: 'E1' }]);
  });
});
