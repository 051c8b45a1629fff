/**
 * `rootrace profiles` and the pure parts of `rootrace versions`: argument
 * parsing, diffs with their refs, range merging, and telling a stall at the
 * scenario's own barriers from a deadlock of Nix.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/messages/errors.js';
import { hooksUnmet } from '../../../src/actors/hooksUnmet.js';
import { parseProfilesArgs, profilesCommand } from '../../../src/cli/profilesCommand.js';
import { outcomeOf, parseVersionsArgs, rangesOf, summaryText, type Outcome } from '../../../src/cli/versionsCommand.js';
import { releaseByName } from '../../../src/scenarios/profiles.js';
import type { RunResult } from '../../../src/messages/result.js';

function run(argv: string[]): string {
  let text = '';
  expect(profilesCommand(parseProfilesArgs(argv), (s) => (text += s))).toBe(0);
  return text;
}

describe('rootrace profiles', () => {
  it('diff nix-2.33 nix-2.34 names writeDerivation and the commit that changed it', () => {
    const text = run(['diff', 'nix-2.33', 'nix-2.34']);
    expect(text).toMatch(/^writeDerivation: early-return-no-root → root-then-early-return$/m);
    expect(text).toContain('ac2dd58b6f (PR #15237)');
    const doc = JSON.parse(run(['diff', 'nix-2.33', 'nix-2.34', '--json'])) as { differences: { switch: string; b: { ref: string } }[] };
    const wd = doc.differences.find((d) => d.switch === 'writeDerivation');
    expect(wd?.b.ref).toMatch(/ac2dd58b6f/);
    // Only what differs: 2.33.6 already has the 2.33.2 missing-drv text.
    expect(doc.differences.map((d) => d.switch)).toEqual(['writeDerivation', 'daemonWorkerDestructor']);
  });

  it('diff across a backport lists each change on the way', () => {
    const doc = JSON.parse(run(['diff', 'nix-2.24.11', 'nix-2.24.12', '--json'])) as { differences: { switch: string; changes: { at: string; ref: string }[] }[] };
    expect(doc.differences).toHaveLength(1);
    expect(doc.differences[0]).toMatchObject({ switch: 'gcCatchPathInUse', changes: [{ at: '2.24.12' }] });
  });

  it('show gives every switch with its range and ref; a fork value from its base says so', () => {
    const doc = JSON.parse(run(['show', 'lix-2.93.3', '--json'])) as { switches: { switch: string; table: string; ref: string }[]; notModelled: string[] };
    expect(doc.switches.find((s) => s.switch === 'gcCatchPathInUse')).toMatchObject({ table: 'lix' });
    expect(doc.switches.find((s) => s.switch === 'gcServerStopOrder')).toMatchObject({ table: 'upstream' });
    expect(doc.notModelled.join(' ')).toMatch(/renamed to temproots\/<pid>/);
    expect(run(['show', 'nix-2.24.12'])).toMatch(/^gcCatchPathInUse\s+true\s+upstream 2\.24\.12–2\.24\.x\s+backport of PR #11922/m);
  });

  it('the listing has each family with the latest release of every series', () => {
    const text = run([]);
    expect(text).toMatch(/^ {2}nix-2\.33\.6 +writeDerivation always-add → early-return-no-root/m);
    expect(text).toMatch(/^ {2}lix-2\.92\.3 +base 2\.18\.3; gcCatchPathInUse false → true \(2\.92\.2\)/m);
    expect(text).toMatch(/^ {2}determinate-3\.17\.3 +base 2\.33\.3; fetcherCacheHit check-no-root → root-then-check/m);
  });

  it('strict arguments', () => {
    expect(() => parseProfilesArgs(['--verbose'])).toThrow(UsageError);
    expect(() => parseProfilesArgs(['list'])).toThrow(/profiles expects 'show <profile>', 'diff <a> <b>' or nothing, got 'list'/);
    expect(() => parseProfilesArgs(['diff', 'nix-2.33'])).toThrow(/expects two profiles/);
    expect(() => profilesCommand(parseProfilesArgs(['show', 'nix-9.9']), () => {})).toThrow(/unknown profile 'nix-9\.9'/);
  });
});

describe('rootrace versions: arguments', () => {
  it('defaults: sim, 3 runs, upstream, a fixed seed', () => {
    expect(parseVersionsArgs(['pr-15158'])).toMatchObject({ scenario: 'pr-15158', runtime: 'sim', runs: 3, families: ['upstream'], seed: 1 });
    expect(parseVersionsArgs(['pr-15158', '--family', 'all', '--runtime', 'threads']).families).toEqual(['upstream', 'lix', 'determinate']);
  });

  it('unknown flags and values are usage errors', () => {
    expect(() => parseVersionsArgs(['pr-15158', '--profile', 'nix-2.8'])).toThrow(/Unknown option '--profile'/);
    expect(() => parseVersionsArgs(['pr-15158', '--family', 'guix'])).toThrow(/--family expects upstream, lix, determinate, all, got 'guix'/);
    expect(() => parseVersionsArgs([])).toThrow(/versions expects one scenario/);
    expect(() => parseVersionsArgs(['x', '--runs', '0'])).toThrow(/--runs expects an integer/);
  });
});

const result = (findings: { kind: string; message: string }[]): RunResult => ({ findings }) as unknown as RunResult;

describe('rootrace versions: outcomes and ranges', () => {
  const none: Outcome = { kinds: [], na: null, runs: 3, runsWithFinding: 0, naRuns: 0 };
  const bad: Outcome = { kinds: ['invalid-reference'], na: null, runs: 3, runsWithFinding: 3, naRuns: 0 };
  const row = (name: string, outcome: Outcome, ranAs = name) => ({ release: releaseByName(name), ranAs, outcome });

  it('consecutive releases with one outcome merge, per family; shared runs count once', () => {
    const ranges = rangesOf([row('nix-2.32.8', none), row('nix-2.33.0', bad), row('nix-2.33.6', bad, 'nix-2.33.0'), row('nix-2.34.0', none), row('lix-2.90.0', none)]);
    expect(ranges.map((r) => [r.family, r.releases.map((x) => x.version).join(' '), r.outcome.runs])).toEqual([
      ['upstream', '2.32.8', 3],
      ['upstream', '2.33.0 2.33.6', 3],
      ['upstream', '2.34.0', 3],
      ['lix', '2.90.0', 3],
    ]);
    expect(summaryText(ranges)).toBe('none on 2.32.8, 2.34.0, Lix 2.90.0; invalid-reference on 2.33.0–2.33.6');
  });

  it('a run is n/a only when every run stalled at the scenario\'s barriers', () => {
    const stall = { kind: 'deadlock', message: "no progress: every live actor is blocked; still running G (pid 1000), C (pid 1001). G (pid 1000) waits for barrier 'scanned' (1 of 2 parties arrived: G; still to come: C); holds gc.lock (exclusive). C (pid 1001) waits for barrier 'binding' (1 of 2 parties arrived: C; still to come: G); holds no lock" };
    expect(outcomeOf([result([stall]), result([stall])]).na).toBe("G waits at 'scanned' for C; C waits at 'binding' for G");
    const mixed = outcomeOf([result([stall]), result([{ kind: 'invalid-reference', message: 'x' }])]);
    expect(mixed).toMatchObject({ na: null, kinds: ['invalid-reference'], naRuns: 1, runsWithFinding: 1 });
  });
});

describe('hooksUnmet: the scenario\'s scaffolding, not Nix', () => {
  it('every actor at a barrier, or an idle daemon worker', () => {
    const m = "no progress: every live actor is blocked; still running G (pid 1000), C (pid 1001), W(C) (pid 1002). G (pid 1000) waits for barrier 'connected' (1 of 2 parties arrived: G; still to come: C); holds gc.lock (exclusive). C (pid 1001) waits for barrier 'checked' (1 of 2 parties arrived: C; still to come: G); holds no lock. W(C) (pid 1002) waits for a request on its daemon connection from C (pid 1001); holds no lock";
    expect(hooksUnmet({ kind: 'deadlock', message: m })).toBe("G waits at 'connected' for C; C waits at 'checked' for G");
  });

  it('blocked on a lock that a paused actor holds (≤2.4: gc.lock while the GC waits at a hook)', () => {
    const m = "no progress: every live actor is blocked; still running G (pid 1000), C (pid 1001), W(C) (pid 1002). G (pid 1000) waits for barrier 'registered' (1 of 2 parties arrived: G; still to come: C); holds gc.lock (exclusive). C (pid 1001) waits for a reply on its daemon connection from W(C) (pid 1002); holds no lock. W(C) (pid 1002) waits for flock gc.lock (shared), held by G (pid 1000) (exclusive); holds _state of pid 1002 (exclusive)";
    expect(hooksUnmet({ kind: 'deadlock', message: m })).toBe("G waits at 'registered' for C");
  });

  it('a lock held by the same pid counts its other actors (the auto-GC thread paused at a hook)', () => {
    const m = "no progress: every live actor is blocked; still running R (pid 1001), W(R) (pid 1003), gc-thread(W(R)) (pid 1003). R (pid 1001) waits for a reply on its daemon connection from W(R) (pid 1003); holds no lock. W(R) (pid 1003) waits for its GC thread gc-thread(W(R)) (pid 1003) and flock gc.lock (shared), held by W(R) (pid 1003) (exclusive); holds _state of pid 1003 (exclusive), gc.lock (exclusive). gc-thread(W(R)) (pid 1003) waits for barrier 'sent' (1 of 2 parties arrived: R; still to come: R); holds no lock";
    expect(hooksUnmet({ kind: 'deadlock', message: m })).toBe("gc-thread(W(R)) waits at 'sent' for R");
  });

  it('the #3224 deadlock (a cycle with no barrier) is Nix, and so is a message without per-actor waits', () => {
    const m = "no progress: every live actor is blocked; still running R (pid 1001), W(R) (pid 1003), gc-thread(W(R)) (pid 1003). R (pid 1001) waits for a reply on its daemon connection from W(R) (pid 1003); holds no lock. W(R) (pid 1003) waits for its GC thread gc-thread(W(R)) (pid 1003) and the GC's ack on a roots-socket connection; holds _state of pid 1003 (exclusive), gc.lock (exclusive), temproots/1003 (exclusive). gc-thread(W(R)) (pid 1003) waits for flock _state of pid 1003 (exclusive), held by W(R) (pid 1003) (exclusive) and a connection on the roots socket; holds no lock";
    expect(hooksUnmet({ kind: 'deadlock', message: m })).toBeNull();
    expect(hooksUnmet({ kind: 'deadlock', message: 'no progress: still running A (pid 1), B (pid 2); pid 1 holds gc.lock (exclusive)' })).toBeNull();
    expect(hooksUnmet({ kind: 'gc-safety', message: "waits for barrier 'x' ()" })).toBeNull();
  });
});
