/** `--max-steps N` sets the sim's step budget for run, check and explore; a bad value is a usage error (exit 2). */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
// Runs with findings save their recordings: keep them out of the work tree.
const env = { ...process.env, ROOTRACE_DIR: mkdtempSync(join(tmpdir(), 'rootrace-max-steps-')) };

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('--max-steps', () => {
  it.each([
    [['run', 'drop-then-kill', '--runtime', 'sim', '--max-steps=-1']],
    [['run', 'drop-then-kill', '--runtime', 'sim', '--max-steps', '1.5']],
    [['run', 'drop-then-kill', '--runtime', 'sim', '--max-steps', '0']],
    [['check', 'drop-then-kill', '--runtime', 'sim', '--max-steps', 'many']],
    [['explore', 'drop-then-kill', '--max-steps', '2.5']],
  ])('%j is a usage error', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-steps expects an integer in 1\.\.1000000000, got '[^']*'/);
  });

  it('is the sim runtime\'s budget: with the threads runtime it is a usage error', async () => {
    const r = await run(['check', 'drop-then-kill', '--max-steps', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-steps is the sim runtime's step budget/);
  });

  it('run: a spent budget ends the run with a finding that says so', async () => {
    const r = await run(['run', 'drop-then-kill', '--runtime', 'sim', '--max-steps', '30', '--seed', '1', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { kind: string; message: string }[] };
    expect(j.findings.map((f) => f.kind)).toEqual(['deadlock']);
    expect(j.findings[0]!.message).toMatch(/^step budget of 30 decisions exhausted; still running C \(pid \d+\), G \(pid \d+\)/);
  });

  it('check: the budget applies to every run (a spent one is a mismatch)', async () => {
    const r = await run(['check', 'drop-then-kill', '--runtime', 'sim', '--max-steps', '30', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { ok: boolean; results: { observed: { findings: Record<string, number> } }[] };
    expect(j.ok).toBe(false);
    expect(j.results.every((x) => x.observed.findings['deadlock'] === 1)).toBe(true);
  });
});
