/**
 * A finding's `why:` comes from the switch on its decisive step and the
 * release table: the release's own value with where it began and ended, or
 * the override that set it with the releases that have it; no switch, no claim.
 */
import { describe, expect, it } from 'vitest';
import { whyOf, type ProfileContext } from '../../../src/cli/findingWhy.js';
import type { CausalStep } from '../../../src/messages/result.js';

const step = (sw?: CausalStep['switch']): CausalStep[] => [
  { seq: 1, t: 10, pid: 1000, actor: 'X', what: 'X last added a temp root' },
  { seq: 2, t: 20, pid: 1001, actor: 'E1', what: "E1's writeDerivation found it valid", decisive: true, ...(sw ? { switch: sw } : {}) },
  { seq: 3, t: 30, pid: 1001, actor: 'E1', what: 'E1 failed' },
];
const ctx = (spec: string, more: Partial<ProfileContext> = {}): ProfileContext => ({ spec, daemonSpec: null, cliSets: [], fileSets: [], ...more });
const early = { name: 'writeDerivation', value: 'early-return-no-root' };

describe('whyOf', () => {
  it("the release's own value: introduced in 2.33.0, fixed in 2.34.0, with their refs", () => {
    const w = whyOf(step(early), ctx('nix-2.33'));
    expect(w).toMatchObject({ source: 'release', release: 'nix-2.33.6', introduced: { version: '2.33.0', ref: '18ec3d1094 (PR #14219)' }, fixed: { version: '2.34.0', value: 'root-then-early-return' } });
    expect(w.text).toBe(
      "the decisive step follows writeDerivation=early-return-no-root, upstream 2.33.6's value: introduced in 2.33.0 (18ec3d1094 (PR #14219)); fixed in 2.34.0 (ac2dd58b6f (PR #15237)), which has root-then-early-return",
    );
  });

  it('a value since the first release and never changed says so', () => {
    const w = whyOf(step({ name: 'tempRootProtocol', value: 'socket' }), ctx('nix-2.35'));
    expect(w.text).toContain('introduced in 2.5.0 (8614cf1334 (PR #5149))');
    expect(w.text).toContain('still so in 2.35.2, the latest release modelled');
    // Walking on from 2.8.1, the first release that catches PathInUse is 2.24.12's backport.
    expect(whyOf(step({ name: 'gcCatchPathInUse', value: false }), ctx('nix-2.8')).text).toContain('unchanged since 2.3.0, the first release modelled; fixed in 2.24.12 (backport of PR #11922');
  });

  it('a fork release: its own boundaries, named with the family', () => {
    const w = whyOf(step({ name: 'fetcherCacheHit', value: 'check-no-root' }), ctx('determinate-3.10'));
    expect(w.text).toMatch(/Determinate Nix 3\.10\.1's value: introduced in Determinate Nix 3\.6\.5 \(dc5e62003 .*fixed in Determinate Nix 3\.17\.0 \(97ea761c6 /);
  });

  it.each([
    [ctx('nix-2.35', { cliSets: ['writeDerivation=early-return-no-root'] }), '--set', 'set by --set (upstream 2.35.2 has root-then-early-return)'],
    [ctx('nix-2.35+writeDerivation=early-return-no-root'), 'variant', 'set by the variant nix-2.35+writeDerivation=early-return-no-root'],
    [ctx('nix-2.35', { fileSets: ['writeDerivation=early-return-no-root'] }), 'scenario set', "set by the scenario's `set:`"],
  ] as const)('an override (%#): who set it, and the releases that have the value', (c, source, words) => {
    const w = whyOf(step(early), c);
    expect(w.source).toBe(source);
    expect(w.text).toContain(words);
    expect(w.text).toContain('releases with early-return-no-root: upstream 2.33.0–2.33.6 (18ec3d1094 (PR #14219))');
    expect(w.releasesWith).toEqual([{ family: 'upstream', from: '2.33.0', to: '2.33.6', ref: '18ec3d1094 (PR #14219)' }]);
  });

  it("neither the profile's value nor an override's: a process of the scenario runs a release of its own", () => {
    const w = whyOf(step(early), ctx('nix-2.35', { cliSets: ['gcDeletionRecheck=false'] }));
    expect(w.text).toContain('set by the scenario (a process of its own release) (upstream 2.35.2 has root-then-early-return)');
    // With nothing overriding it and the daemon's release having it, it is the daemon's value.
    expect(whyOf(step(early), ctx('nix-2.35', { daemonSpec: 'nix-2.33' })).release).toBe('nix-2.33.6');
    // An override of it: the client's release is what was overridden, whatever the daemon has.
    expect(whyOf(step(early), ctx('nix-2.35', { daemonSpec: 'nix-2.33', cliSets: ['writeDerivation=early-return-no-root'] })).source).toBe('--set');
  });

  it('a value no release has', () => {
    const w = whyOf(step({ name: 'rootReferencesInWriteDerivation', value: true }), ctx('nix-2.33+rootReferencesInWriteDerivation=true'));
    expect(w.text).toMatch(/no release modelled has true$/);
  });

  it("with --daemon-profile, the release whose value it is (the client's, for client code)", () => {
    expect(whyOf(step(early), ctx('nix-2.33', { daemonSpec: 'nix-2.8' })).release).toBe('nix-2.33.6');
    // The daemon's value, when only the daemon has it.
    expect(whyOf(step({ name: 'gcDeletionRecheck', value: true }), ctx('nix-2.33', { daemonSpec: 'nix-2.35' })).release).toBe('nix-2.35.2');
  });

  it('no switch on the decisive step: no version claim', () => {
    expect(whyOf(step(), ctx('nix-2.33'))).toEqual({ switch: null, text: 'no behaviour switch is recorded at the decisive step' });
  });
});
