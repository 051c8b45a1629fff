/**
 * #14 item 2: a host thread is sent a resolved scenario once, not with every
 * actor (scenarioCache.ts). It keeps the last SCENARIOS_KEPT, and the
 * coordinator's record of what it holds evicts in the same order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { SCENARIOS_KEPT, keepScenario } from '../../dist/src/runtime/threads/scenarioCache.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { killWorker } from '../fixtures/scenarios.js';

describe('keepScenario', () => {
  it('inserts once and drops the oldest past the limit, the same on both sides', () => {
    const a = new Map<number, string>();
    const b = new Map<number, true>();
    for (const k of [1, 2, 1, 3, 4, 5, 6, 7, 8, 9, 1, 10]) expect(keepScenario(a, k, `s${k}`)).toBe(keepScenario(b, k, true));
    expect(a.size).toBe(SCENARIOS_KEPT);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()]).toEqual([4, 5, 6, 7, 8, 9, 1, 10]); // 1 went at 9, came back; 2 and 3 went after it
  });
});

describe('on one host thread', () => {
  const rt = new ThreadsRuntime({ timeoutMs: 20_000, maxThreads: 1 });
  afterAll(() => rt.close());
  const received = async (): Promise<number> => {
    const hosts = Reflect.get(Reflect.get(rt, 'pool') as object, 'all') as Set<{ api: { stats(): Promise<{ scenariosReceived: number }> } }>;
    const all = await Promise.all([...hosts].map((h) => h.api.stats()));
    return all.reduce((n, s) => n + s.scenariosReceived, 0);
  };

  it('runs of one scenario send it once; more scenarios than the thread keeps still all run, each as itself', async () => {
    const p = profileByName('nix-2.35');
    for (let seed = 1; seed <= 4; seed++) expect((await rt.run(killWorker, p, seed)).findings).toEqual([]);
    expect(await received()).toBe(1); // 4 runs × 3 actors (A, its daemon worker, G), one thread
    const copies = Array.from({ length: SCENARIOS_KEPT + 2 }, (_, i) => ({ ...killWorker, name: `kill-worker-${i}` }));
    for (const s of [...copies, copies[0]!, copies[SCENARIOS_KEPT + 1]!]) {
      const r = await rt.run(s, p, 7);
      expect(r.scenario).toBe(s.name);
      expect(r.findings).toEqual([]);
    }
    // Each copy once, plus copy 0 again (evicted by then); the last copy was still held.
    expect(await received()).toBe(1 + copies.length + 1);
  });
});
