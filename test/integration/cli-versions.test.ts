/**
 * `rootrace versions` and `rootrace profiles` from the command line (dist/:
 * run `npm run build` first). pr-15158 on every release (sim, fixed seed):
 * invalid-reference exactly on upstream 2.33.0–2.33.6, with the two commits
 * at its boundaries; a scenario whose hooks the ≤2.4 protocol cannot meet is
 * n/a there, not a deadlock finding.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const env = { ...process.env, ROOTRACE_DIR: mkdtempSync(join(tmpdir(), 'rootrace-cli-versions-')) };

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env, timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

interface RangeJson {
  readonly family: string;
  readonly from: string;
  readonly to: string;
  readonly releases: readonly { readonly version: string }[];
  readonly outcome: { readonly findings: readonly string[]; readonly na: string | null };
  readonly boundary: { readonly from: string; readonly to: string; readonly changes: readonly { readonly switch: string; readonly ref: string }[] } | null;
}

const spans = (ranges: readonly RangeJson[], family: string) => ranges.filter((r) => r.family === family).map((r) => [`${r.from}–${r.to}`, r.outcome.na === null ? r.outcome.findings.join(',') || 'none' : 'n/a']);

describe.concurrent('rootrace versions', () => {
  it('pr-15158: invalid-reference on exactly 2.33.0–2.33.6 among upstream releases, none elsewhere', async ({ expect }) => {
    const r = await rootrace(['versions', 'pr-15158', '--family', 'all', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { runtime: string; runs: number; ranges: RangeJson[] };
    expect(doc).toMatchObject({ runtime: 'sim', runs: 3 });
    expect(spans(doc.ranges, 'upstream')).toEqual([
      ['2.3.0–2.32.8', 'none'],
      ['2.33.0–2.33.6', 'invalid-reference'],
      ['2.34.0–2.35.2', 'none'],
    ]);
    const bad = doc.ranges.find((x) => x.from === '2.33.0')!;
    expect(bad.releases.map((x) => x.version)).toEqual(['2.33.0', '2.33.1', '2.33.2', '2.33.3', '2.33.4', '2.33.5', '2.33.6']);
    expect(bad.boundary?.changes.find((c) => c.switch === 'writeDerivation')?.ref).toMatch(/18ec3d1094/);
    const after = doc.ranges.find((x) => x.from === '2.34.0')!;
    expect(after.boundary?.changes.find((c) => c.switch === 'writeDerivation')?.ref).toMatch(/ac2dd58b6f/);
    // Neither fork's evaluator takes the unrooted early return (Lix always adds; Determinate adds through AsyncPathWriter).
    expect(spans(doc.ranges, 'lix')).toEqual([['2.90.0–2.95.3', 'none']]);
    expect(spans(doc.ranges, 'determinate')).toEqual([['3.0.0–3.22.2', 'none']]);
  });

  it('pr-15158 as text: the ranges, the boundary changes and the summary', async ({ expect }) => {
    const r = await rootrace(['versions', 'pr-15158']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}2\.33\.0–2\.33\.6 +invalid-reference$/m);
    expect(r.stdout).toMatch(/^ {4}2\.33\.6 → 2\.34\.0: writeDerivation: early-return-no-root → root-then-early-return \(ac2dd58b6f \(PR #15237\)\)/m);
    expect(r.stdout).toContain('summary: none on 2.3.0–2.32.8, 2.34.0–2.35.2; invalid-reference on 2.33.0–2.33.6');
  });

  it("gc-socket-enoent: the ≤2.4 protocol has no roots socket, so the scenario's hooks are n/a there", async ({ expect }) => {
    const r = await rootrace(['versions', 'gc-socket-enoent', '--json']);
    const doc = JSON.parse(r.stdout) as { ranges: RangeJson[] };
    expect(spans(doc.ranges, 'upstream')).toEqual([
      ['2.3.0–2.4.0', 'n/a'],
      ['2.5.0–2.9.2', 'gc-safety,invalid-reference'],
      ['2.10.0–2.19.7', 'socket-error'],
      ['2.20.0–2.35.2', 'none'],
    ]);
    expect(doc.ranges[0]!.outcome.na).toMatch(/waits at 'binding'/);
  });

  it('bad input is exit 2 with one line', async ({ expect }) => {
    for (const args of [['versions', 'pr-15158', '--profile', 'nix-2.8'], ['versions', 'pr-15158', '--family', 'guix'], ['versions', 'pr-15158', '--set', 'nope=1'], ['versions']]) {
      const r = await rootrace(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe.concurrent('rootrace profiles', () => {
  it('diff nix-2.33 nix-2.34 names writeDerivation with ac2dd58b6f', async ({ expect }) => {
    const r = await rootrace(['profiles', 'diff', 'nix-2.33', 'nix-2.34']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^writeDerivation: early-return-no-root → root-then-early-return\n {2}nix-2\.33: .*\n {2}nix-2\.34: upstream from 2\.34\.0: ac2dd58b6f/m);
  });

  it('list, show, and strict flags', async ({ expect }) => {
    const list = await rootrace(['profiles', '--json']);
    expect(list.code).toBe(0);
    const families = (JSON.parse(list.stdout) as { families: { family: string }[] }).families.map((f) => f.family);
    expect(families).toEqual(['upstream', 'lix', 'determinate']);
    const show = await rootrace(['profiles', 'show', 'determinate-3.17.1']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^fetcherCacheHit +root-then-check +Determinate Nix from 3\.17\.0 +97ea761c6/m);
    const bad = await rootrace(['profiles', '--verbose']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rootrace: Unknown option '--verbose'/);
    const unknown = await rootrace(['profiles', 'show', 'lix-2.92.1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Lix released 2\.92\.0, 2\.92\.2, 2\.92\.3/);
  });
});
