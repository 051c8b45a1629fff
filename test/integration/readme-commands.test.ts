/**
 * Every `rootrace …` command in README.md's code blocks runs: exit 0 (no
 * finding) or 1 (a finding), never a usage error or a stack trace, so the
 * README cannot drift from the CLI. Commands run in README order in one temp
 * dir (an explore writes the schedule that the next lines replay and shrink),
 * made cheap without changing what they exercise: at most 2 runs, the sim
 * runtime where the command has one and no threads-only option is given.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REAL_NIX_2_8 } from '../../dist/src/scenarios/calibrate.js';
import { readmeCommands, type ReadmeCommand } from './readmeCommands.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'rootrace-readme-commands-'));
const bin = join(dir, '.bin');
mkdirSync(bin);
writeFileSync(join(bin, 'rootrace'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
chmodSync(join(bin, 'rootrace'), 0o755);
// The scenario file the README explains, under the name its commands use.
const myRace = /```yaml\n(schemaVersion: 1\nname: my-race[\s\S]*?)```/.exec(readme);
writeFileSync(join(dir, 'my-race.yaml'), myRace?.[1] ?? '');
// The Kubernetes Job writes to its volume; here, a folder of the temp dir.
mkdirSync(join(dir, 'results'));
// What `bash scripts/calibrate.sh > timings.yaml` prints where a real Nix is installed (none is here):
// real Nix 2.8's medians, for the `rootrace calibrate --timings timings.yaml` line after it.
writeFileSync(join(dir, 'timings.yaml'), `timings:\n${Object.entries(REAL_NIX_2_8).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);

const HAS_RUNTIME = new Set(['run', 'check', 'sweep', 'versions']);
const THREADS_ONLY = ['--jitter', '--timeout', '--workers', '--time-scale', '--runtime'];

/** The command as the test runs it: at most 2 runs, sim where it can, bounded exploration. */
export function cheap(text: string): string {
  const sub = text.split(/\s+/)[1] ?? '';
  if (/\s(--help|-h)(\s|$)/.test(text)) return text;
  let t = text.replace(/--runs[ =](\d+)/g, (_, n: string) => `--runs ${Math.min(Number(n), 2)}`);
  if (HAS_RUNTIME.has(sub) && !THREADS_ONLY.some((f) => t.includes(f))) t += ' --runtime sim';
  if (sub === 'sweep' && !t.includes('--runs')) t += ' --runs 2';
  if (sub === 'versions' && !t.includes('--runs')) t += ' --runs 1';
  if (sub === 'explore' && !t.includes('--time-limit')) t += ' --time-limit 10';
  return t.replace(/\/results\//g, 'results/');
}

/** One shell line per command, with each CI matrix value substituted. */
function expand(c: ReadmeCommand): string[] {
  let lines = [c.text];
  for (const [k, values] of Object.entries(c.matrix)) {
    const re = new RegExp(`\\$\\{\\{\\s*matrix\\.${k}\\s*\\}\\}`, 'g');
    if (lines.some((l) => re.test(l))) lines = lines.flatMap((l) => values.map((v) => l.replace(re, String(v))));
  }
  return lines.map(cheap);
}

function sh(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`, ROOTRACE_DIR: join(dir, '.rootrace'), JOB_COMPLETION_INDEX: '0', CI: '1' };
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd: dir, env, timeout: 240_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

const commands = readmeCommands(readme);

describe('README commands', () => {
  it('the README has the commands this test is about', () => {
    expect(myRace).not.toBeNull();
    const subs = new Set(commands.map((c) => c.text.split(/\s+/)[1]));
    for (const s of ['run', 'check', 'explore', 'replay', 'shrink', 'sweep', 'merge', 'profiles', 'versions', '--version', 'help']) expect(subs).toContain(s);
  });

  it.each(commands.flatMap((c) => expand(c).map((line) => [c.line, line] as const)))('README.md:%i: %s', async (_line, line) => {
    const r = await sh(line);
    expect(r.stderr, r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect([0, 1], `exit ${r.code}: ${r.stderr}`).toContain(r.code);
  }, 240_000);
});
