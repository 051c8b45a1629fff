/** `run --crash` and `rootrace crashpoints` from the command line: the table, its JSON, exit codes, usage errors. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
// Runs with findings save their recordings: keep them out of the work tree.
const env = { ...process.env, ROOTRACE_DIR: mkdtempSync(join(tmpdir(), 'rootrace-crash-')) };

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000, env, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

describe('rootrace crashpoints', () => {
  it('pr-15158 on nix-2.35: a table of every crash point, exit 0 (no crash breaks an invariant)', async () => {
    const r = await rootrace(['crashpoints', 'pr-15158', '--profile', 'nix-2.35']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^crashpoints pr-15158 {3}profile nix-2\.35 {3}signal kill \(SIGKILL\) {3}seed 1$/m);
    expect(r.stdout).toMatch(/^without a crash: no findings; \d+ crash points reached/m);
    expect(r.stdout).toMatch(/^X@client\.instantiate#1 +no finding$/m);
    expect(r.stdout).toMatch(/^W\(E1\)@addToStore\.register#1 +client-error: Nix daemon disconnected unexpectedly \(maybe it crashed\?\) \(E1\)$/m);
    expect(r.stdout).toMatch(/^every crash point was reached and ran to a result; every lock was released/m);
  });

  it('--json: every point with its findings; a row replays with run --crash and the sweep seed', async () => {
    const r = await rootrace(['crashpoints', 'pr-15158', '--profile', 'nix-2.33', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; ok: boolean; seed: number; points: { crash: string; fired: boolean; bugs: string[]; findings: { kind: string }[] }[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.ok).toBe(true);
    expect(doc.points.every((p) => p.fired && p.bugs.length === 0)).toBe(true);
    // A crash of X's worker early on leaves 2.33's own failure for E1 in place.
    const both = doc.points.find((p) => p.findings.map((f) => f.kind).join() === 'client-error,invalid-reference')!;
    expect(both.crash).toMatch(/^W\(X\)@/);
    const again = await rootrace(['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--seed', String(doc.seed), '--crash', both.crash, '--json']);
    expect(again.code).toBe(1);
    const kinds = (JSON.parse(again.stdout) as { findings: { kind: string }[] }).findings.map((f) => f.kind).sort();
    expect(kinds).toEqual(['client-error', 'invalid-reference']);
  });

  it.each([
    [['crashpoints', 'pr-15158', '--signal', 'stop'], /--signal expects kill or term, got 'stop'/],
    [['crashpoints', 'pr-15158', '--profile', 'nix-2.33,nix-2.35'], /crashpoints takes one --profile/],
    [['run', 'pr-15158', '--crash', 'W(E1)'], /--crash expects ACTOR@LABEL\[#N\]\[:kill\|term\]/],
    [['run', 'pr-15158', '--crash', 'W(E9)@addToStore.register'], /--crash W\(E9\)@addToStore\.register: unknown process 'E9' \(defined: X, E1\)/],
  ])('%j is a usage error', async (args, says) => {
    const r = await rootrace(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(says);
  });

  it('run --crash on the threads runtime: the client that takes a SIGTERM ends, nothing fails', async () => {
    const r = await rootrace(['run', 'gc-killed-mid-delete', '--crash', 'C@client.instantiate:term', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });
});
