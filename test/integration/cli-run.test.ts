/** `rootrace run` from the command line: JSON shape, exit codes, and bad input (exit 2, no stack trace). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('rootrace run', () => {
  it('pr-15158 on nix-2.33, 20 runs: a hosts.drv finding in JSON, exit 1', async () => {
    const r = await run(['run', 'pr-15158', '--profile', 'nix-2.33', '--runs', '20', '--seed', '5', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      schemaVersion: number;
      scenario: string;
      runs: unknown[];
      findings: { message: string }[];
      threads: { distinct: number; perRun: number[] };
    };
    expect(j.schemaVersion).toBe(1);
    expect(j.scenario).toBe('pr-15158');
    // The rate with its 95% Wilson interval: 20 of 20 reaches 1, and its low end is wilson(20, 20)'s.
    expect(j.runs).toEqual([{ profile: 'nix-2.33', runs: 20, runsWithFinding: 20, rate: 1, low: expect.closeTo(0.8389, 3), high: 1 }]);
    expect(j.findings.some((f) => /^path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid$/.test(f.message))).toBe(true);
    for (const f of j.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['kind', 'message', 'path', 'seed', 'profile']));
    expect(j.threads.distinct).toBeGreaterThanOrEqual(3);
    expect(j.threads.perRun.every((n) => n >= 3)).toBe(true);
  });

  it.each(['nix-2.8', 'nix-2.34', 'nix-2.35'])('%s: no finding, exit 0', async (p) => {
    const r = await run(['run', 'pr-15158', '--profile', p, '--runs', '20', '--seed', '5', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('human output: one row per profile and the finding with its causal chain', async () => {
    const r = await run(['run', 'pr-15158', '--profile', 'nix-2.33,nix-2.35', '--runs', '2', '--seed', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/nix-2\.33\s+2\s+2\s+1\.00/);
    expect(r.stdout).toMatch(/nix-2\.35\s+2\s+0\s+0\.00/);
    expect(r.stdout).toMatch(/error: path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid/);
    expect(r.stdout).toMatch(/last added a temp root/);
  });

  it.each([
    [['run', 'pr-15158', '--bogus'], /Unknown option '--bogus'/],
    [['run', 'no-such-scenario'], /unknown scenario 'no-such-scenario'/],
    [['run', 'pr-15158', '--profile', 'nix-9.9'], /unknown profile 'nix-9\.9'/],
    [['run', 'pr-15158', '--set', 'noSuchSwitch=1'], /unknown switch 'noSuchSwitch'/],
    [['run', 'pr-15158', '--set', 'writeDerivation=maybe'], /--set writeDerivation expects one of/],
    [['run', 'pr-15158', '--param', 'evaluators=two'], /pr-15158\.yaml: --param evaluators expects an integer in 1\.\.64, got 'two'/],
    [['run', 'pr-15158', '--runs', '0'], /--runs expects an integer/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad input %j: exit 2 and one clear message', async (args, re) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--set applies a switch: nix-2.35 with the 2.33 early return fails again', async () => {
    const r = await run(['run', 'pr-15158', '--profile', 'nix-2.35', '--set', 'writeDerivation=early-return-no-root', '--seed', '1', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).runs[0].profile).toBe('nix-2.35+writeDerivation=early-return-no-root');
  });
});
