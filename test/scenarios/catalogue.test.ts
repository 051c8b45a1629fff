/**
 * Conformance: every catalogue scenario behaves as Nix does on every profile it
 * lists (expectations in the files, taken from the protocol notes and Nix's own
 * GC tests). Each expectation is forced by the scenario's mechanism (awaitExit,
 * barriers, hooks), so the outcome is deterministic on real threads.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const catalogue = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Catalogue scenarios with loops or without (each file's name is its scenario's). */
function scenariosWith(loops: boolean): string[] {
  return readdirSync(catalogue)
    .filter((f) => f.endsWith('.yaml') && /^\s+loop:/m.test(readFileSync(join(catalogue, f), 'utf8')) === loops)
    .map((f) => f.replace(/\.yaml$/, ''));
}

function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'check', ...args, '--json'], { timeout: 300_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    );
  });
}

it.each([
  // --timeout 1000: the watchdog's quiet period (autogc-self-deadlock on 2.8 ends in a real deadlock).
  ['threads', ['--runs', '3', '--timeout', '1000', ...scenariosWith(false)]],
  // Loop scenarios start dozens of processes each: one run apiece on threads. (They hung twice: threads asleep
  // on a free store mutex, fixed in mutex.ts tryLockAll; a GC thread acting after its process's exit, fixed in
  // threadsRuntime.ts ended().)
  ['threads, loop scenarios', ['--runs', '1', '--timeout', '1000', ...scenariosWith(true)]],
  ['sim', ['--runs', '5', '--runtime', 'sim']],
])('rootrace check (%s runtime): the whole catalogue matches on nix-2.8, 2.33, 2.34 and 2.35', async (_runtime, args) => {
  const { code, stdout, stderr } = await check(args);
  expect(stderr).toBe('');
  const doc = JSON.parse(stdout) as { ok: boolean; failed: number; results: { scenario: string; profile: string; ok: boolean }[] };
  const bad = doc.results.filter((r) => !r.ok);
  expect(bad).toEqual([]);
  expect(doc.ok).toBe(true);
  const names = new Set(doc.results.map((r) => r.scenario));
  if (_runtime === 'threads, loop scenarios') {
    expect([...names].sort()).toEqual(scenariosWith(true).sort());
    expect(code).toBe(0);
    return;
  }
  for (const n of ['pr-15158', 'fetch-cache-no-root', 'instantiate-then-realise', 'instantiate-then-realise-add-root', 'check-then-root', 'connection-drop', 'daemon-temproots-leak', 'gc-sh', 'gc-concurrent-sh', 'heavy-load', 'ack-then-append']) {
    expect(names.has(n)).toBe(true);
  }
  for (const r of doc.results) expect(['nix-2.3', 'nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35']).toContain(r.profile);
  expect(code).toBe(0);
}, 300_000);
