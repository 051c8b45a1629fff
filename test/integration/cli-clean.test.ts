/**
 * `.rootrace/` stays tidy (#13 item 9): `rootrace clean` removes the saved run
 * folders (keeping the N newest with --keep), says what it removed, leaves
 * what rootrace did not write; `--max-saved N` (default in --help) caps the
 * run folders when run or sweep saves one, removing the oldest.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cliChild.js';

function run(args: string[], root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ROOTRACE_DIR: root }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    ),
  );
}

/** A saved-runs folder with run folders of the given names (one small file each), `schedules/` and things of the user's. */
function savedRoot(names: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'rootrace-clean-'));
  for (const n of names) {
    mkdirSync(join(root, n));
    writeFileSync(join(root, n, 'result.json'), '{}\n');
  }
  mkdirSync(join(root, 'schedules'));
  writeFileSync(join(root, 'schedules', 'pr-15158-nix-2.33-1-1.json'), '{}');
  mkdirSync(join(root, 'my-notes'));
  writeFileSync(join(root, 'README.txt'), 'mine');
  return root;
}

const OLD = ['pr-15158-seed1-20260101-000001', 'pr-15158-seed2-20260101-000002', 'sweep-pr-15158-seed3-20260101-000003', 'heavy-load-seed4-20260101-000004'];

describe('rootrace clean', () => {
  it('--dry-run says what it would remove and removes nothing', async () => {
    const root = savedRoot(OLD);
    const r = await run(['clean', '--dry-run'], root);
    expect(r.code).toBe(0);
    for (const n of OLD) expect(r.stdout).toContain(`would remove ${join(root, n)} (1 file, 3 B)`);
    expect(readdirSync(root).sort()).toEqual([...OLD, 'README.txt', 'my-notes', 'schedules'].sort());
  });

  it('--keep 1 removes all but the newest, oldest first, names each, and leaves schedules and the user\'s files', async () => {
    const root = savedRoot(OLD);
    const r = await run(['clean', '--keep', '1'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('removed /'))).toEqual(OLD.slice(0, 3).map((n) => `removed ${join(root, n)} (1 file, 3 B)`));
    expect(r.stdout).toContain(`removed 3 folders (9 B) from ${root}; 1 run folder kept`);
    expect(r.stdout).toContain('left alone (not written by rootrace): README.txt, my-notes');
    expect(readdirSync(root).sort()).toEqual(['README.txt', 'heavy-load-seed4-20260101-000004', 'my-notes', 'schedules']);
  });

  it('--schedules removes explore\'s schedules too; a second clean has nothing to do', async () => {
    const root = savedRoot(OLD);
    expect((await run(['clean', '--schedules'], root)).stdout).toContain(`removed ${join(root, 'schedules')} (1 file, 2 B)`);
    expect(readdirSync(root).sort()).toEqual(['README.txt', 'my-notes']);
    const again = await run(['clean'], root);
    expect(again.stdout).toMatch(/^nothing to clean in .*: 0 run folders/m);
  });

  it('bad input: exit 2, one line', async () => {
    const root = savedRoot([]);
    for (const args of [['clean', '--keep', '-1'], ['clean', 'now'], ['clean', '--keeep', '2']]) {
      const r = await run(args, root);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^rootrace: [^\n]+\n$/);
    }
  });
});

describe('the cap on saved runs (--max-saved)', () => {
  it('is in --help with its default', async () => {
    for (const cmd of ['run', 'sweep']) expect((await run([cmd, '--help'], tmpdir())).stdout).toMatch(/--max-saved N\s+run folders kept under \.rootrace\/[\s\S]*?\(default 50\)/);
  });

  it('run with a finding saves a folder and removes the oldest beyond N, and nothing else', async () => {
    const root = savedRoot(OLD);
    const r = await run(['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--seed', '9', '--max-saved', '2'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`removed the 3 oldest run folders in ${root} (--max-saved 2)`);
    const left = readdirSync(root).sort();
    const mine = left.filter((n) => n.startsWith('pr-15158-seed9-'));
    expect(mine).toHaveLength(1);
    expect(existsSync(join(root, mine[0]!, 'result.json'))).toBe(true);
    expect(left).toEqual(['README.txt', 'heavy-load-seed4-20260101-000004', mine[0]!, 'my-notes', 'schedules'].sort());
  });

  it('sweep counts its trace folder under the same cap', async () => {
    const root = savedRoot(OLD);
    const r = await run(['sweep', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--runs', '2', '--seed', '9', '--max-saved', '1'], root);
    expect(r.code).toBe(1);
    const left = readdirSync(root).filter((n) => /-seed\d+-/.test(n));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^sweep-pr-15158-seed9-/);
  });
});
