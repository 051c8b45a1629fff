/**
 * explore, replay and shrink from the command line: a finding writes a schedule
 * under .rootrace/schedules/ and prints the exact replay command, replay prints
 * the recorded hash, shrink writes a smaller schedule, and bad input is exit 2
 * with one message and no stack trace. `run --runtime sim` gives the same table.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'rootrace-sim-cli-'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 120_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

describe('rootrace explore / replay / shrink', () => {
  it('explore finds pr-15158 on nix-2.33, writes and shrinks the schedule, prints the replay command; replay gives the same hash', async () => {
    const r = await run(['explore', 'pr-15158', '--profile', 'nix-2.33', '--seed', '4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(''); // not a TTY: no progress
    expect(r.stdout).toMatch(/finding: invalid-reference: error: path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid/);
    expect(r.stdout).toMatch(/replayed twice: identical event stream/);
    const cmd = /replay:\s+rootrace replay (\S+\.min\.json)/.exec(r.stdout);
    expect(cmd).not.toBeNull();
    const file = cmd![1]!;
    expect(file.startsWith('.rootrace/schedules/')).toBe(true);
    expect(existsSync(join(cwd, file))).toBe(true);
    expect(existsSync(join(cwd, file.replace(/\.min\.json$/, '.json')))).toBe(true);

    const replay = await run(['replay', file, '--json']);
    expect(replay.code).toBe(1);
    const j = JSON.parse(replay.stdout) as { eventHash: string; recordedEventHash: string; identical: boolean; divergence: unknown; reproduced: boolean };
    expect(j.identical).toBe(true);
    expect(j.eventHash).toBe(j.recordedEventHash);
    expect(j.divergence).toBeNull();
    expect(j.reproduced).toBe(true);
    const text = await run(['replay', file, '--trace', 'min.trace.json', '--events', 'min.events.ndjson']);
    expect(text.stdout).toContain(`event hash ${j.eventHash} (identical to the recorded run)`);
    // The minimal schedule's trace and events: the artifacts to attach to a Nix issue.
    expect(JSON.parse(readFileSync(join(cwd, 'min.trace.json'), 'utf8'))).toBeTruthy();
    const report = await run(['report', 'min.events.ndjson', '--json']);
    expect(report.code).toBe(1);
  });

  it('shrink prints before/after counts and writes the minimal schedule', async () => {
    const e = await run(['explore', 'pr-15158', '--profile', 'nix-2.33', '--strategy', 'random', '--seed', '9', '--no-shrink', '--json']);
    expect(e.code).toBe(1);
    const found = (JSON.parse(e.stdout) as { findings: { schedule: string; shrunk: string | null }[] }).findings[0]!;
    expect(found.shrunk).toBeNull();
    const s = await run(['shrink', found.schedule, '--json']);
    expect(s.code).toBe(1);
    const j = JSON.parse(s.stdout) as { reproduced: boolean; before: { preemptions: number }; after: { preemptions: number }; shrunk: string; replay: string };
    expect(j.reproduced).toBe(true);
    expect(j.after.preemptions).toBeLessThan(j.before.preemptions);
    expect(existsSync(join(cwd, j.shrunk))).toBe(true);
    expect(j.replay).toBe(`rootrace replay ${j.shrunk}`);
    const text = await run(['shrink', found.schedule]);
    expect(text.stdout).toMatch(/preemptions: +\d+ → \d+/);
    expect(text.stdout).toMatch(/context switches: +\d+ → \d+/);
  });

  it('explore with no finding exits 0; dfs reports an exhaustive search', async () => {
    const r = await run(['explore', 'pr-15158', '--profile', 'nix-2.35', '--strategy', 'dfs', '--preemptions', '0', '--param', 'evaluators=1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { stoppedBy: string; schedules: number; findings: unknown[] };
    expect(j.stoppedBy).toBe('exhausted');
    expect(j.findings).toEqual([]);
    expect(j.schedules).toBeGreaterThan(0);
  });

  it('explore --preemptions all with the reduction is a complete model check: it says so, and prints traces and pruned branches', async () => {
    const r = await run(['explore', 'pr-15158', '--profile', 'nix-2.35', '--strategy', 'dfs', '--preemptions', 'all', '--param', 'evaluators=1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/strategy dfs \(preemption bound all, partial-order reduction\)/);
    expect(r.stdout).toMatch(/^traces: \d+ distinct in \d+ schedules run to the end; \d+ branches pruned/m);
    expect(r.stdout).toMatch(/^exhaustive: no finding in any interleaving \(\d+ traces, \d+ schedules/m);
    const j = JSON.parse((await run(['explore', 'pr-15158', '--profile', 'nix-2.35', '--strategy', 'dfs', '--preemptions', 'all', '--param', 'evaluators=1', '--json'])).stdout) as { preemptionBound: unknown; reduction: { traces: number; pruned: number } };
    expect(j.preemptionBound).toBe('all');
    expect(j.reduction.traces).toBeGreaterThan(0);
  });

  it.each([
    [['replay', 'missing.json'], /^rootrace: cannot read schedule file 'missing\.json': no such file\n$/],
    [['replay', 'garbage.json'], /^rootrace: garbage\.json: line 1: .*JSON syntax error: Expected property name/],
    [['shrink', 'garbage.json'], /^rootrace: garbage\.json: line 1: .*JSON syntax error/],
    [['explore', 'pr-15158', '--bogus'], /^rootrace: Unknown option '--bogus'/],
    [['explore', 'pr-15158', '--strategy', 'dpor'], /^rootrace: --strategy expects one of random, pct, dfs, got 'dpor'\n$/],
    [['explore', 'pr-15158', '--depth', '0'], /^rootrace: --depth expects an integer in 1\.\.64, got '0'\n$/],
    [['explore', 'no-such-scenario'], /^rootrace: unknown scenario 'no-such-scenario'/],
    [['run', 'pr-15158', '--runtime', 'fibers'], /^rootrace: --runtime expects threads or sim, got 'fibers'\n$/],
  ])('%j: exit 2, one message, no stack', async (args, message) => {
    writeFileSync(join(cwd, 'garbage.json'), '{ not json');
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run --runtime sim: the pr-15158 verdicts, deterministically', async () => {
    const args = ['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33,nix-2.35', '--runs', '10', '--seed', '5', '--json'];
    const a = await run(args, { ROOTRACE_DIR: join(cwd, 'runs-a') });
    const b = await run(args, { ROOTRACE_DIR: join(cwd, 'runs-b') });
    expect(a.code).toBe(1);
    const j = JSON.parse(a.stdout) as { runs: unknown[]; findings: { message: string }[] };
    // With the rate's 95% Wilson interval (10 of 10: [0.722, 1]; 0 of 10: [0, 0.278]).
    expect(j.runs).toEqual([
      { profile: 'nix-2.33', runs: 10, runsWithFinding: 10, rate: 1, low: expect.closeTo(0.7225, 3), high: 1 },
      { profile: 'nix-2.35', runs: 10, runsWithFinding: 0, rate: 0, low: 0, high: expect.closeTo(0.2775, 3) },
    ]);
    expect(JSON.parse(b.stdout).findings).toEqual(j.findings);
  });
});
