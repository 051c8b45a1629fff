/**
 * `rootrace explain`: a Nix error line (or a CI log) is matched against what
 * the catalogue's scenarios make Nix print on sim, and each scenario's rerun
 * command really gives that text.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorShape } from '../../src/cli/errorText.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'rootrace-explain-'));
const env = { ...process.env, ROOTRACE_DIR: join(cwd, '.rootrace') };

function rootrace(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd, env, timeout: 240_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

interface ExplainJson {
  lines: { line: string; count: number; matches: { match: string; scenarios: { scenario: string; kind: string; message: string; samePathName: boolean; releases: string[]; rerun: string }[] }[] }[];
  unexplained: string[];
}

describe('rootrace explain', () => {
  it("error: path '/nix/store/…-hosts.drv' is not valid: pr-15158 first (same path), on 2.33.x, and its rerun gives the text", async () => {
    const r = await rootrace(['explain', "error: path '/nix/store/…-hosts.drv' is not valid", '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as ExplainJson;
    const [m] = j.lines[0]!.matches;
    expect(m!.match).toBe('message');
    const first = m!.scenarios[0]!;
    expect(first).toMatchObject({ scenario: 'pr-15158', kind: 'invalid-reference', samePathName: true, releases: ['2.33.0–2.33.6'] });
    expect(first.rerun).toBe('rootrace run pr-15158 --profile nix-2.33.0 --seed 1 --runtime sim');
    expect(m!.scenarios.map((s) => s.scenario)).toContain('heavy-load');

    // The rerun command, as printed, shows the same text.
    const rerun = await rootrace([...first.rerun.split(' ').slice(1), '--json']);
    expect(rerun.code).toBe(1);
    const messages = (JSON.parse(rerun.stdout) as { findings: { message: string }[] }).findings.map((f) => errorShape(f.message).shape);
    expect(messages).toContain(errorShape(first.message).shape);
  }, 240_000);

  it('a CI log: each Nix error line once, with how often; the rest named as unexplained; fragments match', async () => {
    const log = [
      '2026-01-10T10:00:01.0000000Z building...',
      "2026-01-10T10:00:02.0000000Z \x1b[31;1merror:\x1b[0m path '/nix/store/2ahnf0qsyw6rjbxpzb2jkc4sklnrg2nf-hosts.drv' is not valid",
      "2026-01-10T10:00:03.0000000Z error: path '/nix/store/8kd1vxg3y5jd8n1yb3v4xv0m1l2n9zlh-hosts.drv' is not valid",
      'error: Nix daemon disconnected unexpectedly (maybe it crashed?)',
      "error: builder for '/nix/store/2ahnf0qsyw6rjbxpzb2jkc4sklnrg2nf-x.drv' failed with exit code 1",
    ].join('\n');
    writeFileSync(join(cwd, 'ci.log'), log);
    const r = await rootrace(['explain', 'ci.log', 'cannot build missing derivation', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as ExplainJson;
    expect(j.lines.map((l) => [l.count, l.matches[0]!.scenarios[0]!.kind])).toEqual([
      [2, 'invalid-reference'],
      [1, 'client-error'],
      [1, 'missing-derivation'],
    ]);
    expect(j.lines[2]!.matches[0]!.match).toBe('fragment');
    expect(j.unexplained).toEqual(["error: builder for '/nix/store/2ahnf0qsyw6rjbxpzb2jkc4sklnrg2nf-x.drv' failed with exit code 1"]);
    // The log again, on stdin, as text.
    const text = await rootrace(['explain', '-'], log);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\(2 lines like this\)/);
    expect(text.stdout).toMatch(/^ {6}rerun: rootrace run pr-15158 --profile nix-2\.33\.0 --seed 1 --runtime sim$/m);
  }, 240_000);

  it('nothing matched: exit 1 and says so', async () => {
    const r = await rootrace(['explain', 'error: something else entirely went wrong']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no catalogue scenario makes Nix print this/);
  }, 240_000);

  it.each([
    [[], /^rootrace: explain expects an error text \(quoted\), a CI log file, or - for stdin\n$/],
    [['missing.log'], /^rootrace: cannot read log file 'missing\.log': no such file/],
    [['x y', '--family', 'guix'], /^rootrace: --family expects upstream, lix, determinate, all, got 'guix'\n$/],
  ])('bad input %j: exit 2, one line', async (args, re) => {
    const r = await rootrace(['explain', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
  });
});
