/**
 * Every bad input is answered with exit 2 and one line naming the input and
 * the field, before anything runs (#13 item 8): no stack trace, no output on
 * stdout, no hang, nothing written. The CLI runs in this process (runCli from
 * dist), each case in an empty folder of its own that is also its cwd and its
 * $ROOTRACE_DIR's parent, so "nothing written" is that folder left as it was.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../dist/src/cli/cli.js';
import { MERGE_CASES, SCHEDULE, SCHEDULE_CASES, SHARDS } from './badInputArtifacts.js';
import { CASES, type BadInput } from './badInputCases.js';

const ALL: readonly BadInput[] = [...CASES, ...SCHEDULE_CASES, ...MERGE_CASES];
const root = mkdtempSync(join(tmpdir(), 'rootrace-bad-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A case that has not answered in this long has hung (a run it should never have started, a read of a FIFO). */
const HANG_MS = 20_000;

const cache = new Map<() => string, string>();
const contents = (v: string | (() => string)): string => {
  if (typeof v === 'string') return v;
  let s = cache.get(v);
  if (s === undefined) cache.set(v, (s = v()));
  return s;
};

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => `${relative(dir, join(e.parentPath, e.name))}${e.isDirectory() ? '/' : ''}`).sort();
}

interface Answer {
  readonly code: number | 'hung';
  readonly stdout: string;
  readonly stderr: string;
}

/** runCli in `cwd`, with stdout and stderr captured. */
async function cli(argv: readonly string[], cwd: string): Promise<Answer> {
  const out: string[] = [];
  const err: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const capture = (into: string[]) => ((chunk: string | Uint8Array): boolean => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  const before = { cwd: process.cwd(), dir: process.env['ROOTRACE_DIR'], ci: process.env['CI'] };
  process.chdir(cwd);
  process.env['ROOTRACE_DIR'] = join(cwd, '.rootrace');
  process.env['CI'] = '1';
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let timer: NodeJS.Timeout | undefined;
  try {
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS)));
    const code = await Promise.race([runCli(argv), hung]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    clearTimeout(timer);
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.chdir(before.cwd);
    for (const [k, v] of [['ROOTRACE_DIR', before.dir], ['CI', before.ci]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function folderFor(c: BadInput, k: number): string {
  const dir = join(root, String(k));
  mkdirSync(dir);
  for (const [name, v] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), contents(v));
  }
  return dir;
}

describe('bad input: exit 2, one line naming the input and the field', () => {
  it('the suite has at least 200 cases, each named once', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(200);
    expect(new Set(ALL.map((c) => c.name)).size).toBe(ALL.length);
  });

  it.each(ALL.map((c, k) => [c.name, c, k] as const))('%s', async (_name, c, k) => {
    const dir = folderFor(c, k);
    const files = listing(dir);
    const a = await cli(c.argv, dir);
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toMatch(/^rootrace: [^\n]+\n$/);
    expect(a.stderr).not.toMatch(/internal error|\n\s+at /);
    for (const s of c.names) expect(a.stderr).toContain(s);
    if (c.says) expect(a.stderr).toMatch(c.says);
    expect(a.stdout).toBe('');
    expect(listing(dir)).toEqual(files);
  });

  // The artifacts edited above are accepted as they are made: it is the edit that is refused.
  it('the unedited schedule replays and the complete shard set merges; --partial merges a part with a warning', async () => {
    const dir = folderFor({ name: 'controls', argv: [], names: [], files: { 's.json': SCHEDULE, ...SHARDS } }, ALL.length);
    const replay = await cli(['replay', 's.json'], dir);
    expect([0, 1], replay.stderr).toContain(replay.code);
    const whole = await cli(['merge', 's1.json', 's2.json', 's3.json', '--json'], dir);
    expect(whole.code, whole.stderr).toBe(1);
    expect(whole.stderr).toBe('');
    const part = await cli(['merge', 's1.json', 's3.json', '--partial', '--json'], dir);
    expect(part.code, part.stderr).toBe(1);
    expect(part.stderr).toMatch(/^rootrace: warning: incomplete shard set: missing 2\/3 \(have 1\/3 \(s1\.json\), 3\/3 \(s3\.json\)\)\n$/);
    const doc = JSON.parse(part.stdout) as { missingShards: string[]; runs: unknown[] };
    expect(doc.missingShards).toEqual(['2/3']);
    expect(doc.runs).toHaveLength(16);
  });
});
