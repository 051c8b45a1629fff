/**
 * Issue #11 item 3: a client of one release against a daemon of another. Code
 * runs where Nix runs it (src/actors/versions.ts): writeDerivation's early
 * return is the client's (derivations.cc @2.33.0, 18ec3d1094), the deletion loop
 * and the temp-roots file of a daemon worker are the daemon's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SimRuntime, ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

const threads = new ThreadsRuntime({ timeoutMs: 20_000 });
afterAll(() => threads.close());
const sim = new SimRuntime();

describe.each(['sim', 'threads'] as const)('%s runtime', (runtime) => {
  const run = async (scenario: string, client: string, daemon?: string) => {
    const x = openScenario(scenario).expand();
    const [p] = profilesFor(x, [client], [], daemon);
    return runtime === 'sim' ? sim.run(x.run, p!, 1) : threads.run(x.run, p!, 1);
  };

  it('pr-15158: a 2.33 client fails against a 2.35 daemon (the early return is client code); a 2.35 client against a 2.33 daemon does not', async () => {
    const bad = await run('pr-15158', 'nix-2.33', 'nix-2.35');
    expect(bad.profile).toBe('nix-2.33+daemon:nix-2.35');
    expect(bad.findings.map((f) => f.kind)).toEqual(['invalid-reference']);
    expect(bad.findings[0]!.message).toMatch(/^path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid$/);
    const good = await run('pr-15158', 'nix-2.35', 'nix-2.33');
    expect(good.findings).toEqual([]);
  });

  it('mixed-versions: a 2.34 collector cannot stoi a 2.35.0 client\'s temp-roots name (gc.cc:171 @2.34.0); a 2.35 one can', async () => {
    const r = await run('mixed-versions', 'nix-2.35', 'nix-2.34');
    expect(r.findings.map((f) => [f.actor, f.message])).toEqual([['G', 'stoi: no conversion']]);
    expect((await run('mixed-versions', 'nix-2.34', 'nix-2.35')).findings).toEqual([]);
  });
});
