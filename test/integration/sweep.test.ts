/** `rootrace sweep` end to end: rates per point with Wilson intervals, exports, shards and merge. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SweepDocument } from '../../dist/src/messages/sweep.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rootrace-sweep-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, ...args], { timeout: 300_000, maxBuffer: 1 << 24, env: { ...process.env, ROOTRACE_DIR: dir } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    ),
  );
}

describe('rootrace sweep', () => {
  it('pr-15158 over workers=1,2,4 × nix-2.33,nix-2.35: rate 1 (interval reaching 1) vs 0 at every point', async () => {
    const csv = join(dir, 's.csv');
    const md = join(dir, 's.md');
    const r = await run(['sweep', 'pr-15158', '--param', 'workers=1,2,4', '--profile', 'nix-2.33,nix-2.35', '--runs', '5', '--jobs', '2', '--seed', '11', '--json', '--export-csv', csv, '--export-md', md]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(''); // no progress bar when not a TTY / with --json
    const doc = JSON.parse(r.stdout) as SweepDocument;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool.name).toBe('rootrace');
    expect(doc.rootSeed).toBe(11);
    expect(doc.points).toHaveLength(6);
    for (const p of doc.points) {
      expect(p.runs).toBe(5);
      expect(0 <= p.low && p.low <= p.rate && p.rate <= p.high && p.high <= 1).toBe(true);
      if (p.profile === 'nix-2.33') {
        expect(p.rate).toBe(1);
        expect(p.high).toBe(1);
        expect(p.firstFailingSeed).not.toBeNull();
        expect(p.trace).toMatch(/\.trace\.json$/);
        expect(JSON.parse(readFileSync(p.trace!, 'utf8'))).toHaveProperty('traceEvents');
      } else {
        expect(p.rate).toBe(0);
        expect(p.low).toBe(0);
      }
    }
    expect(doc.recommendation[0]).toMatch(/^Reproduces fastest at profile=nix-2\.33/);
    expect(readFileSync(csv, 'utf8').split('\n')).toHaveLength(8); // header + 6 points + trailing newline
    expect(readFileSync(md, 'utf8')).toMatch(/\| nix-2\.35 \| 4 \| 5 \| 0 \| 0\.00 \|/);
  });

  it('a point reruns alone with the same seeds: seeds derive from the root seed and the point', async () => {
    const all = JSON.parse((await run(['sweep', 'pr-15158', '--param', 'evaluators=1,2', '--profile', 'nix-2.35', '--runs', '2', '--seed', '5', '--json'])).stdout) as SweepDocument;
    const one = JSON.parse((await run(['sweep', 'pr-15158', '--param', 'evaluators=2', '--profile', 'nix-2.35', '--runs', '2', '--seed', '5', '--json'])).stdout) as SweepDocument;
    const seeds = (d: SweepDocument, point: string) => d.runs.filter((r) => r.point === point).map((r) => r.seed);
    expect(seeds(one, 'profile=nix-2.35,evaluators=2')).toEqual(seeds(all, 'profile=nix-2.35,evaluators=2'));
  });

  it('--runtime sim: two shards merged give exactly the counts (and runs) of the unsharded sweep', async () => {
    // 30 runs a point: the whole sweep's tasks are batches of 25 and 5, each shard's of 15 — the same runs either way.
    const base = ['sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=1,2,4', '--profile', 'nix-2.8,nix-2.33,nix-2.35', '--runs', '30', '--seed', '9', '--jobs', '2'];
    const whole = join(dir, 'whole.json');
    expect((await run([...base, '--export-json', whole])).code).toBe(1);
    const shards = [1, 2].map((i) => join(dir, `shard-${i}.json`));
    for (const [i, f] of shards.entries()) expect((await run([...base, '--shard', `${i + 1}/2`, '--export-json', f])).code).toBe(1);
    const merged = join(dir, 'merged.json');
    expect((await run(['merge', ...shards, '--export-json', merged])).code).toBe(1);
    const w = JSON.parse(readFileSync(whole, 'utf8')) as SweepDocument;
    const m = JSON.parse(readFileSync(merged, 'utf8')) as SweepDocument;
    const shardDocs = shards.map((f) => JSON.parse(readFileSync(f, 'utf8')) as SweepDocument);
    expect(shardDocs.map((d) => d.runs.length)).toEqual([135, 135]);
    const counts = (d: SweepDocument) => d.points.map((p) => [p.point, p.runs, p.runsWithFinding, p.firstFailingSeed, p.low, p.high]);
    expect(counts(m)).toEqual(counts(w));
    const runs = (d: SweepDocument) => d.runs.map((r) => [r.point, r.run, r.seed, r.finding, r.kinds, r.storeOps]);
    expect(runs(m)).toEqual(runs(w));
    expect(m.shardsMerged).toBe(2);
  });

  it('bad input: exit 2 with one message', async () => {
    for (const [args, re] of [
      [['sweep', 'pr-15158', '--param', 'nope=1'], /scenario 'pr-15158' has no parameter 'nope'/],
      [['sweep', 'pr-15158', '--param', 'workers=0'], /--param workers expects values ≥ 1/],
      [['sweep', 'pr-15158', '--shard', '3/2'], /--shard expects i\/n/],
      [['sweep', 'pr-15158', '--runtime', 'gpu'], /--runtime expects threads or sim/],
      [['merge', join(dir, 'missing.json')], /cannot read sweep file '.*missing\.json': no such file/],
    ] as const) {
      const r = await run([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
