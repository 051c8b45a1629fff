/**
 * The PR #15158 race at actor level, with no threads: X instantiates hosts.drv
 * and exits; E instantiates a dependent while the store is below min-free, so
 * the auto-GC inside the dependent's addToStore runs between the skipped write
 * of hosts.drv and the dependent's registration.
 */
import { describe, expect, it } from 'vitest';
import { clientProcess } from '../../../src/actors/evaluator.js';
import { createStoreFor } from '../../../src/actors/setup.js';
import { resolve } from '../../../src/actors/derivations.js';
import { openScenario } from '../../../src/scenarios/index.js';

const pr15158 = () => openScenario('pr-15158').expand(['evaluators=1']).run;
import { FakeContext, FakeWorld, switchesOf } from './fakeContext.js';

async function race(profile: string, over = {}): Promise<unknown> {
  const scenario = pr15158();
  const world = new FakeWorld(createStoreFor(scenario));
  const sw = switchesOf(profile, over);
  const [x, e] = scenario.processes;
  await clientProcess(new FakeContext(world, 100, sw, scenario.settings, scenario), x!);
  // X's connection closed: wait until its worker has exited (and dropped its locks).
  while (world.store.flock.holders().length > 0) await new Promise((r) => setImmediate(r));
  try {
    await clientProcess(new FakeContext(world, 101, sw, scenario.settings, scenario), e!);
    return null;
  } catch (err) {
    return err;
  }
}

describe('pr-15158 (actor level)', () => {
  it('nix-2.33: registering the dependent fails with Nix text because hosts.drv was collected', async () => {
    const err = await race('nix-2.33');
    const hosts = resolve(pr15158()).drvs.get('hosts')!.drvPath;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`path '${hosts}' is not valid`);
    expect((err as Error).message).toMatch(/^path '\/nix\/store\/[0-9a-df-np-sv-z]{32}-hosts\.drv' is not valid$/);
  });

  it.each(['nix-2.8', 'nix-2.34', 'nix-2.35'])('%s: no failure (the drv is rooted in the worker before the check)', async (p) => {
    expect(await race(p)).toBeNull();
  });

  it('nix-2.33 with the PR #15158 writeDerivation variant (roots drv and references first): no failure', async () => {
    expect(await race('nix-2.33', { rootReferencesInWriteDerivation: true })).toBeNull();
  });

  it('nix-2.33 with references rooted inside addToStore only: the reference is rooted, so this interleaving passes', async () => {
    // edolstra's objection is about a window *before* addToStore; in this forced interleaving the GC runs inside it.
    expect(await race('nix-2.33', { rootReferencesInAddToStore: true })).toBeNull();
  });
});
