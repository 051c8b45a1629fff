/**
 * Output paths (#13 item 8, the output side): one that cannot be written is
 * refused before any run starts (exit 2, one line naming the option and the
 * path, nothing run or written); when one export fails after the runs, the
 * later exports are still written and the command exits 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../dist/src/cli/sweepCommand.js';
import type { SweepDocument } from '../../dist/src/messages/sweep.js';
import { cli } from './cliChild.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-outputs-'));
const saved = join(dir, '.rootrace');
const aFile = join(dir, 'plain.txt');
writeFileSync(aFile, 'not a folder');
const missing = join(dir, 'no-such-dir');
const schedule = join(dir, 'found.json');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ROOTRACE_DIR: saved, ...env }, timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    ),
  );
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('unwritable output paths are refused before any run', () => {
  it('explore writes the schedule the replay, shrink and report cases use', async () => {
    const r = await run(['explore', 'pr-15158', '--profile', 'nix-2.33', '--seed', '1', '--no-shrink', '--out', join(dir, 'sched')]);
    expect(r.code).toBe(1);
    const file = readdirSync(join(dir, 'sched')).find((f) => f.endsWith('.json'))!;
    writeFileSync(schedule, readFileSync(join(dir, 'sched', file)));
    rmSync(saved, { recursive: true, force: true });
  });

  // [argv, the option named, the path named]. pr-15158 on nix-2.33 fails on every run: had one run, it would have saved a folder and printed a table.
  it.each([
    [['run', 'pr-15158', '--profile', 'nix-2.33', '--runs', '1000', '--events', join(missing, 'e.ndjson')], '--events', join(missing, 'e.ndjson'), 'does not exist'],
    [['run', 'pr-15158', '--profile', 'nix-2.33', '--trace', dir], '--trace', dir, 'it is a directory'],
    [['run', 'pr-15158', '--profile', 'nix-2.33', '--roots-report', join(aFile, 'r.txt')], '--roots-report', join(aFile, 'r.txt'), 'is not a directory'],
    [['sweep', 'pr-15158', '--runtime', 'sim', '--runs', '1000', '--export-html', join(missing, 's.html')], '--export-html', join(missing, 's.html'), 'does not exist'],
    [['sweep', 'pr-15158', '--runtime', 'sim', '--export-csv', join(dir, 'ok.csv'), '--export-md', dir], '--export-md', dir, 'it is a directory'],
    [['explore', 'pr-15158', '--profile', 'nix-2.33', '--out', join(aFile, 'schedules')], '--out', join(aFile, 'schedules'), 'is not a directory'],
    [['merge', schedule, '--export-json', join(missing, 'm.json')], '--export-json', join(missing, 'm.json'), 'does not exist'],
    [['replay', schedule, '--trace', join(missing, 't.json')], '--trace', join(missing, 't.json'), 'does not exist'],
    [['shrink', schedule, '--out', join(aFile, 'min.json')], '--out', join(aFile, 'min.json'), 'is not a directory'],
  ])('%j: exit 2, one line naming %s', async (args, option, path, why) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^rootrace: ${esc(option)} '${esc(path)}': cannot write there: .*${esc(why)}.*\\n$`));
    expect(r.stdout).toBe('');
    expect(existsSync(saved)).toBe(false);
    expect(existsSync(join(dir, 'ok.csv'))).toBe(false);
  });

  it('a $ROOTRACE_DIR that cannot be created is refused, naming it', async () => {
    const r = await run(['run', 'pr-15158', '--profile', 'nix-2.33', '--runs', '1000'], { ROOTRACE_DIR: join(aFile, 'runs') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^rootrace: \\$ROOTRACE_DIR '${esc(join(aFile, 'runs'))}': cannot write there: '${esc(aFile)}' is not a directory\\n$`));
    expect(r.stdout).toBe('');
  });
});

describe('an export that fails after the runs', () => {
  it('is reported, the later exports are still written, and sweep exits 2', async () => {
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    process.env['ROOTRACE_DIR'] = saved;
    let err = '';
    const stderr = { isTTY: false, write: (s: string) => ((err += s), true) } as unknown as NodeJS.WriteStream;
    const args = ['pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--runs', '2', '--seed', '1',
      '--export-json', join(dir, 'x.json'), '--export-csv', join(gone, 'x.csv'), '--export-md', join(dir, 'x.md'), '--export-html', join(dir, 'x.html')];
    // The table is printed after the runs and before the exports: the folder goes there.
    const code = await sweepCommand(args, () => rmSync(gone, { recursive: true }), stderr);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`rootrace: cannot write '${esc(join(gone, 'x.csv'))}' \\(--export-csv\\): ENOENT`));
    expect((JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as SweepDocument).runs).toHaveLength(2);
    expect(readFileSync(join(dir, 'x.md'), 'utf8')).toMatch(/^\| profile \|/m);
    expect(readFileSync(join(dir, 'x.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(err).toMatch(/wrote json: .*\nwrote markdown: .*\nwrote html: /);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('runs with findings past the 20 saved', () => {
  it('are counted and not saved: 25 failing runs leave 20 run files of each kind and say 5 more', async () => {
    const root = join(dir, 'cap');
    const r = await run(['run', 'pr-15158', '--profile', 'nix-2.33', '--runtime', 'sim', '--runs', '25', '--seed', '3'], { ROOTRACE_DIR: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/saved 20 runs with findings in /);
    expect(r.stdout).toMatch(/^5 more runs with findings were not saved \(at most 20 per invocation\)$/m);
    const [folder] = readdirSync(root);
    const files = readdirSync(join(root, folder!));
    for (const kind of ['.events.ndjson', '.trace.json', '.roots.txt']) expect(files.filter((f) => f.endsWith(kind))).toHaveLength(20);
  });
});
