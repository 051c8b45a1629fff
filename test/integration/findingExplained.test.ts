/**
 * Findings explain themselves (issue #13 item 3): `why:` names the switch
 * behind the decisive step with the releases where its value began and ended,
 * as the release table has them, and `rerun:` is a command that — run through
 * a shell — gives the same finding again: on sim the same chain, step for step.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { releaseByName } from '../../dist/src/scenarios/profiles.js';
import { releasesOf, sourceOf } from '../../dist/src/scenarios/releases.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'rootrace-why-'));
const env = { ...process.env, ROOTRACE_DIR: join(cwd, '.rootrace') };

interface Step { seq: number; t: number; what: string; decisive?: boolean; switch?: { name: string; value: unknown } }
interface Finding {
  kind: string;
  message: string;
  seed: number;
  profile: string;
  chain: Step[];
  why: { switch: { name: string; value: unknown } | null; source?: string; introduced?: { version: string; ref: string } | null; fixed?: { version: string; value: unknown; ref: string } | null; text: string };
  rerun: string;
}
interface Doc { runs: { profile: string; runs: number }[]; findings: Finding[] }

function exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}
const rootrace = (args: string[]) => exec(process.execPath, [cli, ...args]);
/** The printed command, run by a real shell (so its quoting is what is tested), with `rootrace` the built CLI. */
function shell(command: string, extra = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  expect(command).toMatch(/^rootrace run /);
  return exec('/bin/sh', ['-c', `${command.replace(/^rootrace /, `'${process.execPath}' '${cli}' `)}${extra}`]);
}
const same = (f: Finding) => [f.kind, f.message, f.chain.map((c) => [c.seq, c.t, c.what, c.decisive ?? false])];

describe('why: the switch behind the decisive step, from the release table', () => {
  it('pr-15158 on nix-2.33 (sim): writeDerivation, introduced and fixed where the table changes it; the rerun is the same run', async () => {
    const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--runtime', 'sim', '--runs', '3', '--seed', '2', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.findings.length).toBeGreaterThan(0);
    // Where the table says nix-2.33's value begins and ends, found by walking the upstream releases.
    const all = releasesOf('upstream');
    const at = all.findIndex((x) => x.version === releaseByName('nix-2.33').version);
    const value = (i: number) => sourceOf(all[i]!, 'writeDerivation').value;
    let lo = at;
    while (lo > 0 && value(lo - 1) === value(at)) lo--;
    let hi = at;
    while (hi < all.length - 1 && value(hi + 1) === value(at)) hi++;
    const introduced = all[lo]!;
    const fixed = all[hi + 1]!;
    for (const f of doc.findings) {
      const d = f.chain.find((c) => c.decisive);
      expect(d?.switch).toEqual({ name: 'writeDerivation', value: 'early-return-no-root' });
      expect(f.why).toMatchObject({ switch: d!.switch, source: 'release', introduced: { version: introduced.version }, fixed: { version: fixed.version, value: value(hi + 1) } });
      expect(f.why.text).toContain(`introduced in ${introduced.version} (${sourceOf(introduced, 'writeDerivation').range.ref})`);
      expect(f.why.text).toContain(`fixed in ${fixed.version} (${sourceOf(fixed, 'writeDerivation').range.ref})`);
      expect(f.rerun).toBe(`rootrace run pr-15158 --profile nix-2.33 --runtime sim --run-seed ${f.seed}`);
    }
    // Each distinct run's rerun, run by a shell: one run, that seed, the same findings with the same chains.
    for (const seed of [...new Set(doc.findings.map((f) => f.seed))]) {
      const mine = doc.findings.filter((f) => f.seed === seed);
      const again = await shell(mine[0]!.rerun, ' --json');
      expect(again.code).toBe(1);
      const d2 = JSON.parse(again.stdout) as Doc;
      expect(d2.runs.map((x) => x.runs)).toEqual([1]);
      expect(d2.findings.map((f) => f.seed)).toEqual(mine.map(() => seed));
      expect(d2.findings.map(same)).toEqual(mine.map(same));
    }
  });

  it('text: why: and rerun: under each finding, after its chain', async () => {
    const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--runtime', 'sim', '--seed', '2']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const why = lines.findIndex((l) => l.startsWith('  why: '));
    expect(why).toBeGreaterThan(0);
    expect(lines[why - 1]).toMatch(/^ {2}- \[ *\d+\.\d{3} ms\] /); // the chain's last step is just above
    expect(lines[why]).toMatch(/^ {2}why: the decisive step follows writeDerivation=early-return-no-root, upstream 2\.33\.\d+'s value: introduced in 2\.33\.0 \(18ec3d1094 .*\); fixed in 2\.34\.0 \(ac2dd58b6f /);
    expect(lines[why + 1]).toMatch(/^ {2}rerun: rootrace run pr-15158 --profile nix-2\.33 --runtime sim --run-seed \d+ {2}\(the same run, step for step\)$/);
  });

  it("an override names who set it and the releases that have the value (the scenario file's set)", async () => {
    const r = await rootrace(['run', 'fetch-cache-no-root', '--profile', 'nix-2.35', '--runtime', 'sim', '--seed', '1', '--json']);
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.stdout) as Doc).findings[0]!;
    expect(f.why).toMatchObject({ switch: { name: 'fetcherCacheHit', value: 'check-no-root' }, source: 'scenario set' });
    expect(f.why.text).toMatch(/set by the scenario's `set:` \(upstream 2\.35\.2 has root-then-check\); releases with check-no-root: Determinate Nix 3\.6\.5–3\.16\.3 /);
  });

  it('a crash point is quoted for the shell, and the rerun gives the same findings', async () => {
    const r = await rootrace(['run', 'check-then-root', '--profile', 'nix-2.8', '--runtime', 'sim', '--crash', 'W(R)@build.run:term', '--seed', '1', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    const f = doc.findings[0]!;
    expect(f.rerun).toContain("--crash 'W(R)@build.run#1:term'");
    expect(f.why).toEqual({ switch: null, text: 'no behaviour switch is recorded at the decisive step' });
    const again = await shell(f.rerun, ' --json');
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as Doc).findings.map(same)).toEqual(doc.findings.map(same));
  });

  it('threads: the rerun runs the same seed and, this race being forced, gives the same finding', async () => {
    const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--runs', '2', '--seed', '3', '--json']);
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.stdout) as Doc).findings.at(-1)!;
    expect(f.rerun).toBe(`rootrace run pr-15158 --profile nix-2.33 --run-seed ${f.seed}`);
    const again = await shell(f.rerun, ' --json');
    expect(again.code).toBe(1);
    const g = (JSON.parse(again.stdout) as Doc).findings;
    expect(g.every((x) => x.seed === f.seed)).toBe(true);
    expect(g.map((x) => [x.kind, x.message])).toContainEqual([f.kind, f.message]);
  });

  it('--seed and --run-seed together: exit 2, one line', async () => {
    const r = await rootrace(['run', 'pr-15158', '--seed', '1', '--run-seed', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--seed and --run-seed: give one/);
  });
});
