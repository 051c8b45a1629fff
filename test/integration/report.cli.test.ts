/**
 * Issue 5 end to end: `rootrace run` writes events, trace and roots report
 * (and a run folder for a finding); `rootrace report` re-renders the saved
 * events byte for byte; bad input exits 2 with one message and no stack.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTrace } from '../unit/report/traceStructure.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
let cwd = '';

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 120_000, env: { ...process.env, ROOTRACE_DIR: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}
const read = (f: string) => readFileSync(join(cwd, f), 'utf8');

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'rootrace-report-'));
});

describe('pr-15158 on nix-2.33, seed 7', () => {
  let run: Awaited<ReturnType<typeof rootrace>>;
  beforeAll(async () => {
    run = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--seed', '7', '--events', 'e.ndjson', '--trace', 't.json', '--roots-report', 'r.txt', '-v']);
  });

  it('exits 1 and writes the three files; the trace is well formed', () => {
    expect(run.code).toBe(1);
    expect(read('e.ndjson').split('\n')[0]).toMatch(/^\{"schemaVersion":1,"type":"inspect\.run\.start","scenario":"pr-15158","profile":"nix-2\.33"/);
    expect(checkTrace(read('t.json'))).toEqual([]);
  });

  it('the roots report names X\'s worker, its exit, the GC run that deleted hosts.drv, and who then failed', () => {
    const r = read('r.txt');
    expect(r).toMatch(/W\(X\) \(pid \d+\), daemon worker of X \(pid \d+\): daemonWorker, ended normal at [\d.]+ ms/);
    expect(r).toMatch(/-hosts\.drv {2}\(added at [\d.]+ ms via file, first written to the store here for X\)/);
    expect(r).toMatch(/temp-roots file: unlinked by its owner at exit/);
    // Nix names the first invalid reference: hosts.drv, or another path the same GC deleted.
    expect(r).toMatch(/-hosts\.drv\n {6}at [\d.]+ ms by GC run auto-gc@W\(E\d\)#\d+ \(gc-thread\(W\(E\d\)\), pid \d+\)\n {6}still needed by E\d \(pid \d+\), alive then: at [\d.]+ ms its daemon\.addToStore of nixos-test-\d+\.drv \(in W\(E\d\), pid \d+\)(, which references it,)? failed: path '\/nix\/store\/[0-9a-z]{32}-[^']+\.drv' is not valid/);
  });

  it('-v puts Nix-style lines on stderr behind a time/actor tag', () => {
    expect(run.stderr).toMatch(/^\[ *[\d.]+ ms\] W\(E\d\)\[\d+\]: running auto-GC to free \d+ bytes$/m);
    expect(run.stderr).toMatch(/^\[ *[\d.]+ ms\] gc-thread\(W\(E\d\)\)\[\d+\]: deleting '\/nix\/store\/[0-9a-z]{32}-hosts\.drv'$/m);
  });

  it('saves the finding\'s run folder and prints where and how to open it', () => {
    const dirs = readdirSync(join(cwd, '.rootrace'));
    expect(dirs).toHaveLength(1);
    const dir = join('.rootrace', dirs[0]!);
    expect(dirs[0]).toMatch(/^pr-15158-seed7-\d{8}-\d{6}$/);
    for (const f of ['result.json', 'nix-2.33-0.events.ndjson', 'nix-2.33-0.trace.json', 'nix-2.33-0.roots.txt']) expect(existsSync(join(cwd, dir, f))).toBe(true);
    expect(run.stdout).toContain(`trace:  ${dir}/nix-2.33-0.trace.json  (open in https://ui.perfetto.dev or chrome://tracing)`);
    expect(run.stdout).toContain(`events: ${dir}/nix-2.33-0.events.ndjson`);
    expect(read(join(dir, 'nix-2.33-0.events.ndjson'))).toBe(read('e.ndjson'));
    expect(read(join(dir, 'nix-2.33-0.trace.json'))).toBe(read('t.json'));
    expect(JSON.parse(read(join(dir, 'result.json')))).toMatchObject({ schemaVersion: 1, scenario: 'pr-15158', artifacts: { runs: [{ profile: 'nix-2.33', index: 0 }] } });
  });

  it('`rootrace report` reproduces the trace and the roots report byte for byte, and exits 1 as run did', async () => {
    const r = await rootrace(['report', 'e.ndjson', '--trace', 't2.json', '--roots-report', 'r2.txt']);
    expect(r.code).toBe(1);
    expect(read('t2.json')).toBe(read('t.json'));
    expect(read('r2.txt')).toBe(read('r.txt'));
  });

  it('with no output named, report prints the roots report; --log prints the log', async () => {
    expect((await rootrace(['report', 'e.ndjson'])).stdout).toBe(read('r.txt'));
    const log = await rootrace(['report', 'e.ndjson', '--log']);
    expect(log.stdout).toMatch(/^\[ *[\d.]+ ms\] E\d\[\d+\]: error: path '\/nix\/store\/[0-9a-z]{32}-[^']+\.drv' is not valid$/m);
  });
});

it('JSON roots reports: run --json and report --json agree byte for byte', async () => {
  const run = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--seed', '3', '--json', '--events', 'j.ndjson', '--roots-report', 'rj.json']);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toHaveProperty('artifacts.dir');
  const rep = await rootrace(['report', 'j.ndjson', '--json', '--roots-report', 'rj2.json']);
  expect(read('rj2.json')).toBe(read('rj.json'));
  expect(JSON.parse(read('rj.json'))).toMatchObject({ schemaVersion: 1, run: { profile: 'nix-2.33' } });
  expect(rep.code).toBe(1);
});

it('nix-2.34: W(X)\'s leaked temp-roots file is removed as stale by the next GC (bare --roots-report: stdout)', async () => {
  const r = await rootrace(['run', '--roots-report', 'pr-15158', '--profile', 'nix-2.34', '--seed', '7']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/no findings/);
  expect(r.stdout).toMatch(/W\(X\) \(pid \d+\), daemon worker of X[^\n]*\n(?:.*\n)*? {2}temp-roots file: left behind; removed as stale at [\d.]+ ms by GC run auto-gc@W\(E\d\)#\d+ \(gc-thread\(W\(E\d\)\), pid \d+\)/);
});

it('several runs: one file per run', async () => {
  const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.35', '--runs', '2', '--seed', '1', '--trace', 'multi.json']);
  expect(r.code).toBe(0);
  for (const f of ['multi.nix-2.35-0.json', 'multi.nix-2.35-1.json']) expect(checkTrace(read(f))).toEqual([]);
});

describe('bad input to report: exit 2, one message naming file and line, no stack trace', () => {
  it.each([
    [['report', 'missing.ndjson'], /^rootrace: cannot read events file 'missing\.ndjson': no such file\n$/],
    [['report', 'bad.ndjson'], /^rootrace: bad\.ndjson:2: not valid JSON \(.*\)\n$/],
    [['report', 'nohdr.ndjson'], /^rootrace: nohdr\.ndjson:1: the first line must carry schemaVersion/],
    [['report'], /report expects one events file/],
    [['report', 'e.ndjson', '--bogus'], /Unknown option '--bogus'/],
  ])('%j', async (args, re) => {
    writeFileSync(join(cwd, 'bad.ndjson'), '{"schemaVersion":1,"type":"inspect.run.start","seq":0,"t":0,"thread":0,"pid":0,"actor":"c","scenario":"s","profile":"p","seed":1,"free":0,"used":0}\nnot json\n');
    writeFileSync(join(cwd, 'nohdr.ndjson'), '{"type":"inspect.run.end","seq":0,"t":0,"thread":0,"pid":0,"actor":"c"}\n');
    const r = await rootrace(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
