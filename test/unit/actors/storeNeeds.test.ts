/**
 * The store a run gets (storeNeeds) is never too small: over many seeds, every
 * profile family and injected deaths, no run of a catalogue scenario or of a
 * scenario written to strain every capacity takes more slots of any capacity
 * than it was given, and none ends in a capacity error. The bounds are not
 * vacuous either: a loop in one process fills most of its temp-root bound.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import type { Capacities } from '../../../src/store/index.js';
import { storeNeeds } from '../../../src/actors/storeNeeds.js';
import { SimRuntime } from '../../../src/runtime/sim/simRuntime.js';
import { listScenarios } from '../../../src/scenarios/index.js';
import { profilesFor } from '../../../src/scenarios/file/entry.js';
import { expandScenario, type ExpandedScenario } from '../../../src/scenarios/file/expand.js';
import { parseScenario } from '../../../src/scenarios/file/load.js';
import type { ScenarioRun } from '../../../src/messages/scenario.js';
import type * as Setup from '../../../src/actors/setup.js';

const stores: Store[] = [];
vi.mock('../../../src/actors/setup.js', async (importOriginal) => {
  const real = await importOriginal<typeof Setup>();
  return {
    ...real,
    createStoreFor: (s: ScenarioRun): Store => {
      const store = real.createStoreFor(s);
      stores.push(store);
      return store;
    },
  };
});

const rt = new SimRuntime({ hash: false, maxSteps: 400_000 });

/** Runs `s` and returns each capacity's high-water mark over its capacity (≤ 1 when the store was big enough). */
async function run(x: ExpandedScenario, profile: string, seed: number): Promise<{ fill: Record<keyof Capacities, number>; messages: string[] }> {
  stores.length = 0;
  const r = await rt.run(x.run, profilesFor(x, [profile], [])[0]!, seed);
  const store = stores[0]!;
  const used = store.highWater();
  const caps = store.capacities;
  const fill = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / caps[k as keyof Capacities]])) as Record<keyof Capacities, number>;
  return { fill, messages: r.findings.map((f) => f.message) };
}

function expectFits(label: string, fill: Record<string, number>, messages: readonly string[]): void {
  for (const [k, v] of Object.entries(fill)) expect(v, `${label}: ${k}`).toBeLessThanOrEqual(1);
  expect(messages.filter((m) => /capacity/i.test(m)), label).toEqual([]);
}

const STRESS = `
schemaVersion: 1
name: needs-stress
summary: every capacity at once
source: rootrace test
set: { rootReferencesInWriteDerivation: true, rootReferencesInAddToStore: true }
settings: { free-space: 1000, min-free: 100000000, max-free: 200000000, min-free-check-interval: 0 }
sources: [ { name: s1 }, { name: s2 } ]
derivations:
  - { name: base, inputSrcs: [s1] }
  - { name: "mid-{i}", inputDrvs: [base], inputSrcs: [s2], outputs: [out, dev], repeat: 3 }
  - { name: top, inputDrvs: ["mid-*"] }
  - { name: "app-{n}", inputDrvs: [top] }
store:
  drvs: [ { drv: base, built: true } ]
  roots: [ { link: /r/base, target: "out:base" } ]
  junkForAll: [ .chroot ]
processes:
  - name: L
    kind: evaluator
    loop: { times: 6, onError: continue }
    steps:
      - instantiate: "app-{n}"
      - { instantiate: top, addRoot: "/r/top-{n}" }
      - realise: "app-{n}"
      - dropConnection:
      - realise: top
      - killDaemonWorker:
      - spawn: S
  - name: S
    kind: evaluator
    spawned: true
    evalStore: daemon
    steps: [ { instantiate: "app-{n}" }, { realise: "app-{n}" }, { addRoot: { drv: "app-{n}", link: "/r/s-{n}" } } ]
  - name: Loc
    kind: evaluator
    store: local
    evalStore: local
    loop: { times: 4, onError: continue }
    steps: [ { instantiate: top }, { realise: top }, { plainRoot: { drv: top, link: "/p/{n}" } }, { removeRoot: "/p/{n}" } ]
  - name: J
    kind: evaluator
    steps: [ { evalJobs: { worker: Wk, jobs: 5, workers: 2, restartEvery: 2, build: Bd } } ]
  - { name: Wk, kind: evaluator, spawned: true, steps: [ { instantiate: "app-{n}" } ] }
  - { name: Bd, kind: evaluator, spawned: true, loop: { times: 1, onError: continue }, steps: [ { realise: "app-{n}" } ] }
  - name: G
    kind: nix-collect-garbage
    loop: { times: 5, onError: continue }
    steps: [ collectGarbage: {} ]
crash:
  - { process: "W(L)", label: build.run, occurrence: 2 }
  - { process: "W(S)", label: addToStore.write, occurrence: 1, signal: term }
`;

const stress = expandScenario(parseScenario('needs-stress.yaml', STRESS));
const PROFILES = ['nix-2.3', 'nix-2.8', 'nix-2.12', 'nix-2.33', 'nix-2.35'];

describe('store capacities sized from the scenario', () => {
  it('every catalogue scenario, 4 seeds × 2 profiles: no capacity is exceeded', async () => {
    for (const e of listScenarios()) {
      const x = e.expand();
      for (const profile of [x.defaultProfile, 'nix-2.8']) {
        for (let seed = 1; seed <= 4; seed++) {
          const { fill, messages } = await run(x, profile, seed);
          expectFits(`${e.name} ${profile} seed ${seed}`, fill, messages);
        }
      }
    }
  }, 240_000);

  it('a scenario straining every capacity (loops, spawn, evalJobs, drops, kills, local and eval stores, GCs), 5 profiles × 12 seeds', async () => {
    const most: Record<string, number> = {};
    for (const profile of PROFILES) {
      for (let seed = 1; seed <= 12; seed++) {
        const { fill, messages } = await run(stress, profile, seed);
        expectFits(`needs-stress ${profile} seed ${seed}`, fill, messages);
        for (const [k, v] of Object.entries(fill)) most[k] = Math.max(most[k] ?? 0, v);
      }
    }
    // Every capacity was exercised, not left at zero.
    for (const [k, v] of Object.entries(most)) expect(v, k).toBeGreaterThan(0);
  }, 240_000);

  it('a loop appends to one temp-roots file for its whole life: the entry bound is nearly what it uses', async () => {
    const loop = expandScenario(parseScenario('loop.yaml', `
schemaVersion: 1
name: loop
summary: one process, many passes
source: rootrace test
set: { rootReferencesInWriteDerivation: true, rootReferencesInAddToStore: true, writeDerivation: always-add }
sources: [ { name: s } ]
derivations: [ { name: a, inputSrcs: [s] }, { name: "b-{n}", inputDrvs: [a] } ]
processes:
  - { name: X, kind: evaluator, loop: { times: 1000 }, steps: [ instantiate: "b-{n}" ] }
`));
    const { fill } = await run(loop, 'nix-2.35', 1);
    expect(fill.maxTempEntries).toBeGreaterThan(0.6);
    expect(fill.maxTempEntries).toBeLessThanOrEqual(1);
  });

  it('20,000 repeated derivations: a store of a few MB (bench/scenarioLoad.ts times 100,000)', () => {
    const big = expandScenario(parseScenario('big.yaml', `
schemaVersion: 1
name: big
summary: many derivations
source: rootrace test
derivations: [ { name: base }, { name: "d-{i}", inputDrvs: [base], repeat: 20000 } ]
processes: [ { name: X, kind: evaluator, steps: [ instantiate: d-1 ] } ]
`)).run;
    const n = storeNeeds(big);
    // drv, drv.lock, out, out.lock of each; a reference, an output edge and an output's reference each.
    expect(n.caps.maxPaths).toBeGreaterThanOrEqual(4 * 20_001);
    expect(n.caps.maxEdges).toBeGreaterThanOrEqual(3 * 20_000);
    expect(n.bytes).toBeLessThan(16 * 1024 * 1024);
  });
});
