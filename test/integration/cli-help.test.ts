/**
 * Install and help: `rootrace --version`, `help`, every command's `--help`
 * (rendered from the specs the parser reads), "did you mean", the bin through
 * npx, and a package that ships only what runs.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string; bin: Record<string, string>; files: string[]; scripts: Record<string, string> };

function exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}
const rootrace = (args: string[]) => exec(process.execPath, [cli, ...args]);

describe.concurrent('help and version', () => {
  it('--version prints the package version', async ({ expect }) => {
    const r = await rootrace(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `rootrace ${pkg.version}\n`, stderr: '' });
  });

  it('help lists every command with its summary', async ({ expect }) => {
    const r = await rootrace(['help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`rootrace ${c.name}`);
    expect(r.stdout).toMatch(/exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error/);
    expect((await rootrace([])).stdout).toBe(r.stdout);
  });

  it.for(COMMANDS.filter((c) => c.name !== 'help').map((c) => c.name))('%s --help: usage and options, exit 0, the same as help <command>', async (name, { expect }) => {
    const r = await rootrace([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^usage: rootrace ${name}`, 'm'));
    expect(r.stdout).toContain('-h, --help');
    expect((await rootrace(['help', name])).stdout).toBe(r.stdout);
    // -h after other arguments asks for help too, before any of them is checked.
    expect((await rootrace([name, 'no-such-thing', '--bogus', '-h'])).stdout).toBe(r.stdout);
  });

  it.for<[string[], RegExp]>([
    [['rn'], /^rootrace: unknown command 'rn' \(did you mean 'run'\?\); rootrace help lists the commands\n$/],
    [['frobnicate'], /^rootrace: unknown command 'frobnicate'; rootrace help lists the commands\n$/],
    [['help', 'swep'], /^rootrace: unknown command 'swep' \(did you mean 'sweep'\?\)/],
    [['sweep', 'pr-15158', '--export-htm', 'x.html'], /^rootrace: Unknown option '--export-htm' for sweep \(did you mean --export-html\?\)/],
    [['versions', 'pr-15158', '--runtime', 'sim', '--timeout', '100'], /^rootrace: --timeout is the threads runtime's watchdog period/],
    [['sweep', 'pr-15158', '--param', 'evaluators=1,0x2'], /^rootrace: --param evaluators expects non-negative integers in decimal digits, got '0x2'\n$/],
    [['sweep', 'pr-15158', '--param', 'evaluators=1', '--param', 'evaluators=2'], /^rootrace: --param evaluators is given twice/],
    [['explore', 'pr-15158', '--set', 'gcDeletionRecheck=true', '--set', 'gcDeletionRecheck=false'], /^rootrace: --set gcDeletionRecheck is given twice/],
    [['scenarios', 'show', 'gc-sh-unroted'], /^rootrace: unknown scenario 'gc-sh-unroted' \(did you mean 'gc-sh-unrooted'\?/],
    [['profiles', 'diff', 'nix-2.33', 'lix-2.933'], /^rootrace: unknown profile 'lix-2\.933' \(did you mean 'lix-2\.93'\?\)/],
  ])('%j: exit 2, one line', async ([args, re], { expect }) => {
    const r = await rootrace(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('the package', () => {
  it('npx rootrace runs the bin of this package', async () => {
    const r = await exec('npm', ['exec', '--no', '--offline', '--', 'rootrace', '--version']);
    expect(r.stdout).toBe(`rootrace ${pkg.version}\n`);
    expect(r.code).toBe(0);
  });

  it('builds on prepare (so npm ci leaves a working bin)', () => {
    expect(pkg.scripts['prepare']).toBe('npm run build');
    expect(pkg.bin['rootrace']).toBe('dist/src/cli/main.js');
    // tsc writes it 0644: the build makes it executable, or `npx rootrace` in a fresh clone is "Permission denied".
    expect(statSync(new URL(`../../${pkg.bin['rootrace']}`, import.meta.url)).mode & 0o111).toBe(0o111);
  });

  it('npm pack ships the compiled CLI and the catalogue, no tests, benchmarks, sources or maps', async () => {
    const r = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
    expect(r.code).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', pkg.bin['rootrace'], 'dist/src/runtime/entries/host.worker.js', 'scenarios/pr-15158.yaml']));
    // scripts/calibrate.sh: what `rootrace calibrate` tells a user to run against their Nix.
    expect(files).toContain('scripts/calibrate.sh');
    const other = files.filter((f) => !['package.json', 'README.md', 'scripts/calibrate.sh'].includes(f) && !/^dist\/src\/.*\.js$/.test(f) && !/^scenarios\/[^/]+\.(yaml|yml|json)$/.test(f));
    expect(other).toEqual([]);
  });
});
