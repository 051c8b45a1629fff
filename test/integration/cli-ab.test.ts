/**
 * A/B in one command: `--profile nix-2.33,nix-2.33+rootReferencesInWriteDerivation=true`
 * side by side in run, check and sweep (sim), the variant named as given, and
 * the relative change printed: PR #15158's second version removes the race.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'rootrace-ab-'));
const env = { ...process.env, ROOTRACE_DIR: join(cwd, '.rootrace') };
const V = 'nix-2.33+rootReferencesInWriteDerivation=true';
const AB = `nix-2.33,${V}`;

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env, timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

describe.concurrent('A/B with a profile variant', () => {
  it('run: both rows, the variant as given, its rate against the first', async ({ expect }) => {
    const json = await rootrace(['run', 'pr-15158', '--profile', AB, '--runtime', 'sim', '--runs', '5', '--seed', '1', '--json']);
    expect(json.code).toBe(1);
    const j = JSON.parse(json.stdout) as { runs: { profile: string; rate: number }[]; findings: { profile: string }[] };
    expect(j.runs.map((r) => [r.profile, r.rate])).toEqual([['nix-2.33', 1], [V, 0]]);
    expect(j.findings.every((f) => f.profile === 'nix-2.33')).toBe(true);
    // Within 100 columns the variant's name wraps at its `+`; --wide keeps it on its row.
    const text = await rootrace(['run', 'pr-15158', '--profile', AB, '--runtime', 'sim', '--runs', '5', '--seed', '1']);
    expect(text.stdout).toMatch(/^profile +runs +with finding +rate +95% CI +rate vs nix-2\.33$/m);
    expect(text.stdout).toMatch(/^nix-2\.33 +5 +0 +0\.00 +\[0\.00, 0\.43\] +1\.00 → 0\.00 \(−100%\)\n {2}\+rootReferencesInWriteDerivation=true$/m);
    const wide = await rootrace(['run', 'pr-15158', '--profile', AB, '--runtime', 'sim', '--runs', '5', '--seed', '1', '--wide']);
    expect(wide.stdout).toMatch(new RegExp(`^${V.replace(/\+/g, '\\+')} +5 +0 +0\\.00 +\\[0\\.00, 0\\.43\\] +1\\.00 → 0\\.00 \\(−100%\\)$`, 'm'));
  });

  it("check: the variant is compared with its release's expectation and reported CHANGED, without failing the check", async ({ expect }) => {
    const text = await rootrace(['check', 'pr-15158', '--profile', AB, '--runtime', 'sim', '--runs', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^pr-15158 +nix-2\.33 +invalid-reference +invalid-reference +ok$/m);
    expect(text.stdout).toMatch(new RegExp(`^pr-15158 +${V.replace(/\+/g, '\\+')} +invalid-reference \\(nix-2\\.33's\\) +none +CHANGED from nix-2\\.33: seed \\d+: no invalid-reference finding`, 'm'));
    expect(text.stdout).toMatch(/all 1 match; 1 of 1 variant CHANGED from their release's expectation/);
    const json = await rootrace(['check', 'pr-15158', '--profile', AB, '--runtime', 'sim', '--runs', '2', '--json']);
    const j = JSON.parse(json.stdout) as { ok: boolean; passed: number; failed: number; results: { profile: string; variantOf?: string; changed?: boolean }[] };
    expect(j).toMatchObject({ ok: true, passed: 1, failed: 0 });
    expect(j.results[1]).toMatchObject({ profile: V, variantOf: 'nix-2.33', changed: true });
    // A release a scenario does not list is checked against the file's default expectation.
    const other = await rootrace(['check', 'pr-15158', '--profile', 'nix-2.24.12', '--runtime', 'sim']);
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/^pr-15158 +nix-2\.24\.12 +none +none +ok$/m);
  });

  it('sweep: the Markdown and HTML exports show the change per point and over the sweep', async ({ expect }) => {
    const r = await rootrace(['sweep', 'pr-15158', '--profile', AB, '--param', 'evaluators=1,2', '--runtime', 'sim', '--runs', '4', '--seed', '1', '--export-md', 'ab.md', '--export-html', 'ab.html']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${V} vs nix-2.33: rate 1.00 → 0.00 (−100%) over 2 points (8/8 vs 0/8 runs with a finding)`);
    const md = readFileSync(join(cwd, 'ab.md'), 'utf8');
    expect(md).toContain('| rate vs nix-2.33 |');
    expect(md.split('\n').filter((l) => l.startsWith(`| ${V} |`) && l.includes('| 1.00 → 0.00 (−100%) |'))).toHaveLength(2);
    expect(md).toContain(`- ${V} vs nix-2.33: rate 1.00 → 0.00 (−100%)`);
    const html = readFileSync(join(cwd, 'ab.html'), 'utf8');
    expect(html).toContain('<th>rate vs nix-2.33</th>');
    expect(html).toContain('<td>1.00 → 0.00 (−100%)</td>');
    expect(html).toContain(`<li>${V} vs nix-2.33: rate 1.00 → 0.00 (−100%)`);
  });

  it.for<[string[], RegExp]>([
    [['run', 'pr-15158', '--profile', 'nix-2.33+rootRefsInWriteDerivation=true'], /^rootrace: unknown switch 'rootRefsInWriteDerivation' in --profile nix-2\.33\+rootRefsInWriteDerivation=true \(did you mean 'rootReferencesInWriteDerivation'\?\)/],
    [['sweep', 'pr-15158', '--profile', `${V}`, '--set', 'rootReferencesInWriteDerivation=false'], /^rootrace: switch 'rootReferencesInWriteDerivation' is set both by --profile/],
    [['check', 'pr-15158', '--profile', 'nix-2.33+writeDerivation=maybe'], /^rootrace: --profile nix-2\.33\+writeDerivation=maybe: writeDerivation expects one of/],
  ])('bad variant %j: exit 2, one line', async ([args, re], { expect }) => {
    const r = await rootrace(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
