/** explain's comparison of error lines: by shape, whatever the hashes, numbers and `…`. */
import { describe, expect, it } from 'vitest';
import type { ErrorCatalogue, ErrorSource } from '../../../src/cli/errorCatalogue.js';
import { errorShape, matchShape, nixText } from '../../../src/cli/errorText.js';
import { explainLines, type Line } from '../../../src/cli/explainCommand.js';

const shape = (s: string): string => errorShape(s).shape;

describe('errorShape', () => {
  it.each([
    ["error: path '/nix/store/91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv' is not valid", "error: path '<path>' is not valid", ['hosts.drv']],
    ["error: path '/nix/store/…-hosts.drv' is not valid", "error: path '<path>' is not valid", ['hosts.drv']],
    ["error: path '/nix/store/...-hosts.drv' is not valid", "error: path '<path>' is not valid", ['hosts.drv']],
    ["\x1b[31;1merror:\x1b[0m path '/nix/store/<hash>-hosts.drv' is not valid", "error: path '<path>' is not valid", ['hosts.drv']],
    [
      "cannot delete path '/nix/store/jz40b3pz53hc5hc6378is24jpqq2yb2y-foo.drv' because it is in use by '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bar.drv', '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-baz.drv'",
      "cannot delete path '<path>' because it is in use by '<path>'",
      ['foo.drv', 'bar.drv', 'baz.drv'],
    ],
    ['src/libstore/build/derivation-goal.cc:194: void nix::DerivationGoal::loadDerivation()', 'src/libstore/build/derivation-goal.cc:N: void nix::DerivationGoal::loadDerivation()', []],
  ])('%j', (line, want, names) => {
    expect(errorShape(line)).toEqual({ shape: want, names });
  });

  it("keeps only Nix's part of an abort", () => {
    expect(nixText("nix-daemon worker W(R) (pid 1004) aborted: src/libstore/build.cc:1175: Assertion `x' failed.")).toBe("src/libstore/build.cc:1175: Assertion `x' failed.");
    expect(nixText("path 'x' is not valid")).toBe("path 'x' is not valid");
  });
});

describe('matchShape', () => {
  const invalid = shape("path '/nix/store/91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv' is not valid");
  const inUse = shape("cannot delete path '/nix/store/jz40b3pz53hc5hc6378is24jpqq2yb2y-foo.drv' because it is in use by '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bar.drv'");

  it('a log line that holds the whole message, behind any prefix', () => {
    expect(matchShape(shape("2026-01-01T00:00:00.0000000Z error: path '/nix/store/5b0…-nixos-system.drv' is not valid"), invalid)).toBe('message');
  });

  it('a fragment of a message, with … for anything', () => {
    expect(matchShape(shape('cannot delete path … because it is in use by …'), inUse)).toBe('fragment');
    expect(matchShape(shape('is not valid'), invalid)).toBe('fragment');
  });

  it('too little text, or other text, matches nothing', () => {
    expect(matchShape(shape('error: path'), invalid)).toBeNull();
    expect(matchShape(shape("error: path '/nix/store/…-x.drv' is valid"), invalid)).toBeNull();
    expect(matchShape(shape('cannot delete path … because it is used by …'), inUse)).toBeNull();
  });
});

describe('explainLines', () => {
  const source = (scenario: string, message: string): ErrorSource => ({
    scenario,
    summary: '',
    kind: 'invalid-reference',
    message,
    names: errorShape(message).names,
    releases: [],
    ranges: ['2.33.0–2.33.6'],
    rerun: `rootrace run ${scenario} --profile nix-2.33.0 --seed 1 --runtime sim`,
  });
  const cat: ErrorCatalogue = {
    families: ['upstream'],
    runs: 1,
    seed: 1,
    scenarios: 2,
    releases: 1,
    shapes: new Map([
      [shape("path '/nix/store/…-foo.drv' is not valid"), [source('b-scenario', "path '/nix/store/…-foo.drv' is not valid"), source('z-scenario', "path '/nix/store/…-hosts.drv' is not valid")]],
      [shape("path '/nix/store/…-foo.drv' does not exist and cannot be created"), [source('c', "path '/nix/store/…-foo.drv' does not exist and cannot be created")]],
    ]),
  };
  const line = (text: string): Line => ({ text, ...errorShape(text), count: 1 });

  it('sources with the same path names come first', () => {
    const [e] = explainLines([line("error: path '/nix/store/…-hosts.drv' is not valid")], cat);
    expect(e!.matches.map((m) => m.sources.map((s) => s.scenario))).toEqual([['z-scenario', 'b-scenario']]);
  });

  it('a whole message, or the messages a fragment is part of; other lines are not explained', () => {
    expect(explainLines([line("path '/nix/store/…-a' is not valid")], cat)[0]!.matches.map((m) => m.match)).toEqual(['message']);
    expect(explainLines([line('does not exist and cannot be created')], cat)[0]!.matches.map((m) => [m.match, m.sources[0]!.scenario])).toEqual([['fragment', 'c']]);
    expect(explainLines([line('a line of a build log')], cat)).toEqual([]);
  });
});
