/**
 * Scenario files from the command line: `run <file>`, `scenarios`, `scenarios show`,
 * `check`, and every malformed fixture ending in exit 2 with one line naming the
 * file, the field and its line. Needs `npm run build` first (dist/).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MALFORMED } from '../unit/scenarios/malformedCases.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
// Runs with findings save recordings; keep them out of the work tree.
const env = { ...process.env, ROOTRACE_DIR: mkdtempSync(join(tmpdir(), 'rootrace-cli-scenarios-')) };

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

const valid = (f: string): string => `test/fixtures/valid/${f}`;

// Each case is a process spawn doing almost nothing: run them side by side.
describe.concurrent('malformed scenario files: exit 2, one line, no stack, nothing run', () => {
  it.for(MALFORMED)('run $file', async ({ file, path, line, says }, { expect }) => {
    const r = await rootrace(['run', `test/fixtures/malformed/${file}`, '--seed', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`rootrace: test/fixtures/malformed/${file}: ${line === null ? '' : `line ${line}: `}${path}: `);
    expect(r.stderr).toMatch(says);
  });

  it('check stops at the first bad file before running any scenario', async ({ expect }) => {
    const r = await rootrace(['check', valid('race.yaml'), 'test/fixtures/malformed/cycle.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rootrace: test\/fixtures\/malformed\/cycle\.yaml: line 8: derivations\[1\]\.inputDrvs\[0\]: derivation dependency cycle/);
  });

  it.for<[string[], RegExp]>([
    [['run', valid('race.yaml'), '--param', 'evaluators=two'], /race\.yaml: --param evaluators expects an integer in 1\.\.16, got 'two'/],
    [['run', valid('race.yaml'), '--param', 'evaluators=17'], /--param evaluators expects an integer in 1\.\.16, got '17'/],
    [['run', valid('race.yaml'), '--param', 'workers=2'], /scenario 'race' has no parameter 'workers' \(parameters: evaluators\)/],
    [['run', valid('race.yaml'), '--profile', 'nix-9.9'], /unknown profile 'nix-9\.9'/],
    [['run', './no-such-file.yaml'], /cannot read scenario file 'no-such-file\.yaml': no such file/],
    [['scenarios', 'show', 'no-such-scenario'], /unknown scenario 'no-such-scenario'/],
    [['scenarios', 'list'], /scenarios expects 'show <name>' or nothing, got 'list'/],
    [['check', '--runs', '0'], /--runs expects an integer in 1\.\.10000/],
  ])('bad input %j', async ([args, re], { expect }) => {
    const r = await rootrace(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('run <file>', () => {
  it("uses the file's profile when --profile is absent, and --param resizes it", async () => {
    const r = await rootrace(['run', valid('race.yaml'), '--seed', '2', '--param', 'evaluators=1', '--runs', '3', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { scenario: string; runs: { profile: string }[]; findings: { kind: string; message: string }[] };
    expect(j.scenario).toBe('race');
    expect(j.runs.map((x) => x.profile)).toEqual(['nix-2.33']);
    expect(j.findings.some((f) => f.kind === 'invalid-reference' && /-hosts\.drv' is not valid$/.test(f.message))).toBe(true);
  });

  it('--profile overrides it', async () => {
    const r = await rootrace(['run', valid('race.yaml'), '--seed', '2', '--profile', 'nix-2.35', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe('rootrace check', () => {
  it('all expectations met: a conformance table and exit 0', async () => {
    const r = await rootrace(['check', valid('race.yaml'), valid('gc-keep.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^race\s+nix-2\.33\s+invalid-reference\s+invalid-reference\s+ok$/m);
    expect(r.stdout).toMatch(/^race\s+nix-2\.35\s+none\s+none\s+ok$/m);
    expect(r.stdout).toMatch(/^gc-keep\s+nix-2\.8\s+none; keeps 2, deletes 4\s+none\s+ok$/m);
    expect(r.stdout).toMatch(/all 4 match/);
  });

  it('a wrong expectation: MISMATCH with the reason, exit 1; --json says the same', async () => {
    const text = await rootrace(['check', valid('wrong-expectation.yaml')]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^wrong-expectation\s+nix-2\.35\s+invalid-reference\s+none\s+MISMATCH: seed \d+: no invalid-reference finding$/m);
    expect(text.stdout).toMatch(/1 of 2 MISMATCH/);
    const json = await rootrace(['check', valid('wrong-expectation.yaml'), '--json', '--runs', '2']);
    expect(json.code).toBe(1);
    const j = JSON.parse(json.stdout) as { ok: boolean; failed: number; results: { profile: string; ok: boolean; reasons: string[]; observed: { runs: number } }[] };
    expect(j).toMatchObject({ ok: false, failed: 1 });
    const bad = j.results.find((x) => !x.ok)!;
    expect(bad.profile).toBe('nix-2.35');
    expect(bad.observed.runs).toBe(2);
    expect(bad.reasons).toHaveLength(2);
  });
});

describe('rootrace scenarios', () => {
  it('--json lists every catalogue scenario with its expectations per profile', async () => {
    const r = await rootrace(['scenarios', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      schemaVersion: number;
      scenarios: { name: string; summary: string; source: string; profiles: string[]; expect: Record<string, { findings: unknown; kept: string[]; deleted: string[] } | null> }[];
    };
    expect(j.schemaVersion).toBe(1);
    const names = j.scenarios.map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const s of j.scenarios) {
      expect(s.summary.length, s.name).toBeGreaterThan(0);
      expect(s.source.length, s.name).toBeGreaterThan(0);
      for (const p of s.profiles) expect(s.expect[p], `${s.name} on ${p}`).not.toBeNull();
    }
    const pr = j.scenarios.find((s) => s.name === 'pr-15158')!;
    expect(pr.expect['nix-2.33']!.findings).toEqual(['invalid-reference']);
    expect(pr.expect['nix-2.35']!.findings).toBe('none');
  });

  it('the table has a row per scenario with the outcome per profile', async () => {
    const r = await rootrace(['scenarios']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scenario\s+nix-2\.8\s+nix-2\.33\s+nix-2\.34\s+nix-2\.35\s+summary$/m);
    expect(r.stdout).toMatch(/^pr-15158\s+none\s+invalid-reference\s+none\s+none\s+\S/m);
  });

  it('show prints a scenario file verbatim', async () => {
    const r = await rootrace(['scenarios', 'show', valid('race.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, valid('race.yaml')), 'utf8'));
    const cat = await rootrace(['scenarios', 'show', 'pr-15158']);
    expect(cat.code).toBe(0);
    expect(cat.stdout).toMatch(/pr-15158/);
  });
});
