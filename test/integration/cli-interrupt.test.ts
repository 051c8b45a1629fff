/**
 * Interrupts (#13 item 7): a real SIGINT or SIGTERM to `run`, `sweep`,
 * `explore` and `check` after some runs finished (the child printed a progress
 * line) ends it with 130 or 143, the results of the finished runs printed, the
 * exports and recordings of those runs written and valid, explore's findings
 * saved as schedule files, and no temporary file left behind. An export that
 * fails does not stop a later one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepDocument } from '../../dist/src/messages/sweep.js';
import { CliChild, cli } from './cliChild.js';

const base = mkdtempSync(join(tmpdir(), 'rootrace-interrupt-'));
let n = 0;
/** A fresh folder per test, with its own ROOTRACE_DIR. */
function fresh(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = join(base, `t${++n}`);
  mkdirSync(dir);
  return { dir, env: { ROOTRACE_DIR: join(dir, '.rootrace') } };
}

/** Every file under `dir`, recursively (relative paths). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** No temporary name of outputs.ts (`.<name>.<pid>-<n>.tmp`) is left anywhere under `dir`. */
function expectNoTemporaries(dir: string): void {
  expect(filesUnder(dir).filter((f) => /\.tmp$/.test(f))).toEqual([]);
}

/** A CSV whose every line has the header's number of fields (the exports quote no commas). */
function parseCsv(text: string): string[][] {
  const rows = text.trimEnd().split('\n').map((l) => l.split(','));
  for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
  return rows;
}

function sh(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    ),
  );
}

/** Waits for `done` runs to be reported as finished, then sends `signal`. */
async function interruptAfter(child: CliChild, done: RegExp, signal: 'SIGINT' | 'SIGTERM') {
  await child.waitFor(done);
  child.kill(signal);
  return child.exited;
}

describe('interrupting rootrace run', () => {
  it('SIGINT on threads: exit 130, JSON of the finished runs, their --events and --trace files whole, the saved run folder written', async () => {
    const { dir, env } = fresh();
    const child = new CliChild(
      ['run', 'pr-15158', '--profile', 'nix-2.33,nix-2.35', '--runs', '5000', '--seed', '3', '--json', '--progress', '--events', join(dir, 'e.ndjson'), '--trace', join(dir, 't.json')],
      { env },
    );
    const e = await interruptAfter(child, /progress: \d+\/10000 runs/, 'SIGINT');
    expect(e.code).toBe(130);
    const doc = JSON.parse(e.stdout) as { interrupted: { signal: string; runsPlanned: number }; runs: { profile: string; runs: number }[]; findings: unknown[]; artifacts?: { dir: string } };
    expect(doc.interrupted).toEqual({ signal: 'SIGINT', runsPlanned: 10000 });
    const finished = doc.runs.reduce((s, r) => s + r.runs, 0);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(10000);
    // nix-2.33 fails on every run of pr-15158: each finished run is a finding.
    expect(doc.findings.length).toBe(doc.runs.find((r) => r.profile === 'nix-2.33')!.runs);
    // One events file and one trace per finished run, each whole.
    const events = filesUnder(dir).filter((f) => /^e\..*\.ndjson$/.test(f));
    const traces = filesUnder(dir).filter((f) => /^t\..*\.json$/.test(f));
    expect(events).toHaveLength(finished);
    expect(traces).toHaveLength(finished);
    for (const f of events) for (const line of readFileSync(join(dir, f), 'utf8').trimEnd().split('\n')) JSON.parse(line);
    for (const f of traces) expect(JSON.parse(readFileSync(join(dir, f), 'utf8'))).toHaveProperty('traceEvents');
    // The saved run folder's result is the same partial document.
    const result = JSON.parse(readFileSync(join(doc.artifacts!.dir, 'result.json'), 'utf8')) as typeof doc;
    expect(result.interrupted).toEqual(doc.interrupted);
    expectNoTemporaries(dir);
  });

  it('SIGTERM on sim: exit 143 and the table of the finished runs', async () => {
    const { env } = fresh();
    const child = new CliChild(['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--runs', '100000', '--seed', '3', '--progress'], { env });
    const e = await interruptAfter(child, /progress: \d+\/100000 runs/, 'SIGTERM');
    expect(e.code).toBe(143);
    const m = /^interrupted by SIGTERM: (\d+) of 100000 runs finished/m.exec(e.stdout);
    expect(m).not.toBeNull();
    const finished = Number(m![1]);
    expect(finished).toBeGreaterThanOrEqual(1);
    // Every finished run fails on nix-2.33: the row says so.
    expect(e.stdout).toMatch(new RegExp(`nix-2\\.33\\s+${finished}\\s+${finished}\\s+1\\.00`));
    expect(e.stderr).toMatch(/rootrace: SIGTERM: stopping/);
  });
});

describe('interrupting rootrace sweep', () => {
  it('SIGINT on threads with --jobs 2: exit 130; CSV, JSON, Markdown and HTML exports of the finished runs', async () => {
    const { dir, env } = fresh();
    const out = (ext: string) => join(dir, `s.${ext}`);
    const child = new CliChild(
      ['sweep', 'pr-15158', '--profile', 'nix-2.33,nix-2.35', '--param', 'workers=1,2', '--runs', '2000', '--jobs', '2', '--seed', '1', '--progress',
        '--export-csv', out('csv'), '--export-json', out('json'), '--export-md', out('md'), '--export-html', out('html')],
      { env },
    );
    const e = await interruptAfter(child, /progress: \d+\/8000 runs/, 'SIGINT');
    expect(e.code).toBe(130);
    const doc = JSON.parse(readFileSync(out('json'), 'utf8')) as SweepDocument;
    expect(doc.interrupted).toEqual({ signal: 'SIGINT', runsPlanned: 8000 });
    expect(doc.runs.length).toBeGreaterThanOrEqual(1);
    expect(doc.runs.length).toBeLessThan(8000);
    expect(doc.points.reduce((s, p) => s + p.runs, 0)).toBe(doc.runs.length);
    expect(e.stdout).toContain(`interrupted by SIGINT: ${doc.runs.length} of 8000 runs finished`);
    const csv = parseCsv(readFileSync(out('csv'), 'utf8'));
    expect(csv).toHaveLength(1 + doc.points.length);
    expect(csv.slice(1).reduce((s, r) => s + Number(r[csv[0]!.indexOf('runs')]), 0)).toBe(doc.runs.length);
    expect(readFileSync(out('md'), 'utf8')).toMatch(/^\| profile \|/m);
    expect(readFileSync(out('html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(e.stderr).toMatch(/wrote json: .*\nwrote csv: .*\nwrote markdown: .*\nwrote html: /);
    expectNoTemporaries(dir);
  });

  it('SIGTERM on sim: exit 143, the sweep document on stdout says interrupted', async () => {
    const { env } = fresh();
    const child = new CliChild(['sweep', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--param', 'evaluators=1,2', '--runs', '20000', '--jobs', '2', '--seed', '1', '--json', '--progress'], { env });
    const e = await interruptAfter(child, /progress: \d+\/40000 runs/, 'SIGTERM');
    expect(e.code).toBe(143);
    const doc = JSON.parse(e.stdout) as SweepDocument;
    expect(doc.interrupted).toEqual({ signal: 'SIGTERM', runsPlanned: 40000 });
    expect(doc.runs.length).toBeGreaterThanOrEqual(1);
    // Every finished run of pr-15158 on nix-2.33 fails, whichever point it belongs to.
    expect(doc.points.every((p) => p.runsWithFinding === p.runs)).toBe(true);
  });

  it('an export that fails (its folder removed during the sweep) does not stop the next one', async () => {
    const { dir, env } = fresh();
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    const child = new CliChild(
      ['sweep', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33', '--runs', '20000', '--seed', '1', '--progress',
        '--export-json', join(dir, 's.json'), '--export-csv', join(gone, 's.csv'), '--export-md', join(dir, 's.md')],
      { env },
    );
    // The paths were checked before the first run; the folder goes while the sweep runs.
    await child.waitFor(/progress: \d+\/20000 runs/);
    rmSync(gone, { recursive: true });
    child.kill('SIGINT');
    const e = await child.exited;
    expect(e.code).toBe(130);
    expect(e.stderr).toMatch(new RegExp(`rootrace: cannot write '${gone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s\\.csv' \\(--export-csv\\): ENOENT`));
    // The export before it and the one after it are whole.
    expect((JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as SweepDocument).interrupted?.signal).toBe('SIGINT');
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toMatch(/^\| profile \|/m);
    expectNoTemporaries(dir);
  });
});

describe('interrupting rootrace explore', () => {
  it('SIGINT after a finding: exit 130, the finding printed, its schedule written and replayable', async () => {
    const { dir, env } = fresh();
    const out = join(dir, 'schedules');
    const child = new CliChild(['explore', 'pr-15158', '--profile', 'nix-2.33', '--all', '--seed', '1', '--time-limit', '3600', '--max-schedules', '100000000', '--out', out, '--progress'], { env });
    const e = await interruptAfter(child, /progress: \d+ schedules, [1-9]\d* distinct findings/, 'SIGINT');
    expect(e.code).toBe(130);
    expect(e.stdout).toMatch(/stopped: interrupted by SIGINT/);
    expect(e.stdout).toMatch(/^finding: invalid-reference: error: path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid$/m);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(1);
    // Interrupted: saved as found, not shrunk.
    expect(files.filter((f) => f.endsWith('.min.json'))).toEqual([]);
    const file = join(out, files.find((f) => f.endsWith('.json'))!);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('decisions');
    const replay = await sh(['replay', file], env);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/identical to the recorded run/);
    expectNoTemporaries(dir);
  });

  it('SIGTERM with --json: exit 143, stoppedBy interrupted, every finding with its schedule file', async () => {
    const { dir, env } = fresh();
    const out = join(dir, 'schedules');
    const child = new CliChild(['explore', 'pr-15158', '--profile', 'nix-2.33', '--all', '--seed', '2', '--time-limit', '3600', '--max-schedules', '100000000', '--out', out, '--json', '--progress'], { env });
    const e = await interruptAfter(child, /progress: \d+ schedules, [1-9]\d* distinct findings/, 'SIGTERM');
    expect(e.code).toBe(143);
    const doc = JSON.parse(e.stdout) as { stoppedBy: string; interrupted: { signal: string }; findings: { schedule: string; shrunk: string | null }[] };
    expect(doc.stoppedBy).toBe('interrupted');
    expect(doc.interrupted).toEqual({ signal: 'SIGTERM' });
    expect(doc.findings.length).toBeGreaterThanOrEqual(1);
    for (const f of doc.findings) {
      expect(f.shrunk).toBeNull();
      expect(JSON.parse(readFileSync(f.schedule, 'utf8'))).toHaveProperty('decisions');
    }
  });
});

describe('interrupting rootrace check', () => {
  it('SIGINT: exit 130 and the rows of the scenarios checked before it', async () => {
    const { env } = fresh();
    const child = new CliChild(['check', '--runtime', 'sim', '--runs', '20', '--progress'], { env });
    const e = await interruptAfter(child, /progress: checking 2\//, 'SIGINT');
    expect(e.code).toBe(130);
    const m = /^interrupted by SIGINT: (\d+) of (\d+) scenarios checked/m.exec(e.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    expect(e.stdout).toMatch(/^ack-then-append\s+nix-2\.8/m);
  });
});
