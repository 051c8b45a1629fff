/**
 * A sweep report's traces travel with it: --export-json and --export-html copy
 * the failing points' traces to FILE.traces/ and name them relative to FILE,
 * and merge reads a shard's from beside the shard, wherever the shards were
 * moved, so a report merged from CI artifacts links traces that open.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SweepDocument } from '../../dist/src/messages/sweep.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rootrace-traces-'));

function rootrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [cli, ...args], { cwd: work, timeout: 300_000, maxBuffer: 1 << 24, env: { ...process.env, ROOTRACE_DIR: join(work, '.rootrace') } }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    ),
  );
}

const tracesOf = (d: SweepDocument): string[] => [...new Set([...d.points, ...d.runs].flatMap((x) => (x.trace ? [x.trace] : [])))];
const hrefs = (html: string): string[] => [...html.matchAll(/<a href="([^"]+)" class="trace">/g)].map((m) => m[1]!);

describe('traces beside the exports', () => {
  it('shards carry relative traces; merging the moved shards links copies that open', async () => {
    const base = ['sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=1,2', '--profile', 'nix-2.33,nix-2.35', '--runs', '4', '--seed', '3'];
    mkdirSync(join(work, 'ci'));
    for (const i of [1, 2]) {
      const r = await rootrace([...base, '--shard', `${i}/2`, '--export-json', `ci/shard-${i}.json`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`wrote json: ci/shard-${i}\\.json \\(\\d+ traces? in shard-${i}\\.traces/\\)`));
      const doc = JSON.parse(readFileSync(join(work, 'ci', `shard-${i}.json`), 'utf8')) as SweepDocument;
      const traces = tracesOf(doc);
      expect(traces.length).toBeGreaterThan(0);
      for (const t of traces) {
        expect(t).toMatch(new RegExp(`^shard-${i}\\.traces/[^/]+\\.trace\\.json$`));
        expect(existsSync(join(work, 'ci', t))).toBe(true);
      }
    }
    // The run folder is gone (another machine) and the artifacts land elsewhere.
    rmSync(join(work, '.rootrace'), { recursive: true });
    renameSync(join(work, 'ci'), join(work, 'artifacts'));
    mkdirSync(join(work, 'site'));
    const m = await rootrace(['merge', 'artifacts/shard-1.json', 'artifacts/shard-2.json', '--export-html', 'site/merged.html', '--export-json', 'site/merged.json']);
    expect(m.code).toBe(1);
    const html = readFileSync(join(work, 'site', 'merged.html'), 'utf8');
    const links = hrefs(html);
    expect(links.length).toBeGreaterThan(0);
    for (const h of links) {
      expect(h).toMatch(/^merged\.traces\/[^/]+\.trace\.json$/);
      expect(JSON.parse(readFileSync(resolve(work, 'site', decodeURI(h)), 'utf8'))).toHaveProperty('traceEvents');
    }
    // Every failing point of the merged sweep links one.
    const merged = JSON.parse(readFileSync(join(work, 'site', 'merged.json'), 'utf8')) as SweepDocument;
    const failing = merged.points.filter((p) => p.runsWithFinding > 0);
    expect(failing.length).toBe(2);
    for (const p of failing) expect(p.trace).toMatch(/^merged\.traces\//);
    // And the merged site folder moves too.
    renameSync(join(work, 'site'), join(work, 'published'));
    for (const h of links) expect(existsSync(resolve(work, 'published', decodeURI(h)))).toBe(true);
  });

  it('a shard whose traces did not come along: the report links none of them and says so', async () => {
    const dir = join(work, 'lost');
    mkdirSync(dir);
    expect((await rootrace(['sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=1', '--profile', 'nix-2.33', '--runs', '2', '--seed', '3', '--export-json', 'lost/s.json'])).code).toBe(1);
    rmSync(join(dir, 's.traces'), { recursive: true });
    const r = await rootrace(['merge', 'lost/s.json', '--export-html', 'lost/m.html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rootrace: warning: lost\/m\.html: 1 trace not found, not linked \(copy each shard's \.traces\/ folder beside it\): \S+\/s\.traces\/\S+\.trace\.json$/m);
    expect(hrefs(readFileSync(join(dir, 'm.html'), 'utf8'))).toEqual([]);
    expect(existsSync(join(dirname(join(dir, 'm.html')), 'm.traces'))).toBe(false);
  });
});
