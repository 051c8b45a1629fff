import { describe, expect, it } from 'vitest';
import { switchesFor } from '../../../src/actors/versions.js';
import { profileByName } from '../../../src/scenarios/profiles.js';

describe('switchesFor: code runs where Nix runs it', () => {
  const client = profileByName('nix-2.33');
  const daemon = profileByName('nix-2.35');
  const mixed = { ...client, daemon: { name: daemon.name, switches: daemon.switches } };
  it('clients run the profile, daemon workers and nix-collect-garbage the daemon, an auto-GC thread its process', () => {
    expect(switchesFor('evaluator', mixed)).toBe(client.switches);
    expect(switchesFor('daemonWorker', mixed)).toBe(daemon.switches);
    expect(switchesFor('gc', mixed)).toBe(daemon.switches);
    expect(switchesFor('autoGcThread', mixed, undefined, client.switches)).toBe(client.switches);
  });
  it('a process with its own `nix:` runs that release, whatever the profile', () => {
    const own = profileByName('nix-2.8').switches;
    const spec = { name: 'E', kind: 'evaluator' as const, steps: [], nix: { name: 'nix-2.8', switches: own } };
    expect(switchesFor('evaluator', mixed, spec)).toBe(own);
    expect(switchesFor('gc', mixed, { ...spec, kind: 'nix-collect-garbage' })).toBe(own);
  });
  it('without a daemon profile everyone runs the profile', () => {
    expect(switchesFor('daemonWorker', client)).toBe(client.switches);
  });
});
