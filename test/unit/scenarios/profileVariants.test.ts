/** A/B variants: `--profile P+switch=value` is P with those switches, named as given, over the scenario file's own `set`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScenario, parseProfileSpec, profilesFor } from '../../../src/scenarios/file/entry.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-variants-'));
writeFileSync(
  join(dir, 's.yaml'),
  'schemaVersion: 1\nname: s\nsummary: s\nsource: test\nset: { writeDerivation: early-return-no-root }\nderivations: [ { name: a } ]\nprocesses: [ { name: X, kind: evaluator, steps: [ instantiate: a ] } ]\n',
);
const x = openScenario('s', dir).expand();

describe('profile variants', () => {
  it('parses a profile name and the overrides after it', () => {
    expect(parseProfileSpec('nix-2.33')).toEqual({ base: 'nix-2.33', sets: [] });
    expect(parseProfileSpec('nix-2.33+a=1+b=x')).toEqual({ base: 'nix-2.33', sets: ['a=1', 'b=x'] });
  });

  it("is named as given and sets its switches over the file's set; the release alone keeps the file's", () => {
    const [base, variant] = profilesFor(x, ['nix-2.35', 'nix-2.35+writeDerivation=root-then-early-return+gcDeletionRecheck=false'], []);
    expect(base!.name).toBe('nix-2.35');
    expect(base!.switches.writeDerivation).toBe('early-return-no-root');
    expect(variant!.name).toBe('nix-2.35+writeDerivation=root-then-early-return+gcDeletionRecheck=false');
    expect(variant!.switches).toEqual({ ...base!.switches, writeDerivation: 'root-then-early-return', gcDeletionRecheck: false });
  });

  it('--set still applies to every profile, with its suffix, but not to a switch a variant sets', () => {
    const [v] = profilesFor(x, ['nix-2.33+gcDeletionRecheck=true'], ['rootsSocketRetryMs=5']);
    expect(v!.name).toBe('nix-2.33+gcDeletionRecheck=true+rootsSocketRetryMs=5');
    expect(v!.switches).toMatchObject({ gcDeletionRecheck: true, rootsSocketRetryMs: 5 });
    expect(() => profilesFor(x, ['nix-2.33+gcDeletionRecheck=true'], ['gcDeletionRecheck=false'])).toThrow(
      "switch 'gcDeletionRecheck' is set both by --profile nix-2.33+gcDeletionRecheck=true and by --set: set it in one place",
    );
  });

  it('bad overrides are usage errors naming the profile', () => {
    expect(() => profilesFor(x, ['nix-2.33+writeDerivation=maybe'], [])).toThrow(/^--profile nix-2\.33\+writeDerivation=maybe: writeDerivation expects one of always-add, /);
    expect(() => profilesFor(x, ['nix-2.33+nope=1'], [])).toThrow(/^unknown switch 'nope' in --profile nix-2\.33\+nope=1/);
    expect(() => profilesFor(x, ['nix-2.33+gcDeletionRecheck=true+gcDeletionRecheck=false'], [])).toThrow(/switch 'gcDeletionRecheck' is set twice/);
    expect(() => profilesFor(x, ['nix-2.33+rootsSocketRetryMs=0x10'], [])).toThrow(/rootsSocketRetryMs expects a non-negative number, got '0x10'/);
    expect(() => profilesFor(x, ['nix-2.33+'], [])).toThrow("--profile nix-2.33+ expects name=value, got ''");
  });

  it('a daemon profile may be a variant too', () => {
    const [p] = profilesFor(x, ['nix-2.35'], [], 'nix-2.8+gcCatchPathInUse=true');
    expect(p!.name).toBe('nix-2.35+daemon:nix-2.8+gcCatchPathInUse=true');
    expect(p!.daemon!.switches.gcCatchPathInUse).toBe(true);
  });
});
