/**
 * The causal chain says why, on the real pr-15158 scenario in the sim runtime
 * under nix-2.33: the decisive step is E's writeDerivation trusting the valid
 * drv without a temp root, chosen by the profile's writeDerivation switch; and
 * `rootrace run` prints each step's time and flags it, in text and JSON.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';

const scenario = openScenario('pr-15158').expand([]).run;
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function rootrace(args: string[]): Promise<{ code: number; stdout: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'rootrace-chain-'));
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 120_000, env: { ...process.env, ROOTRACE_DIR: join(cwd, 'runs') } }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout });
    });
  });
}

describe('pr-15158 on nix-2.33 (sim)', () => {
  it.each([0, 1, 2, 3, 4])('seed %i: the decisive step is writeDerivation returning early without a root, because of the switch', async (seed) => {
    const r = await new SimRuntime().run(scenario, profileByName('nix-2.33'), seed);
    const f = r.findings.find((x) => x.kind === 'invalid-reference');
    expect(f).toBeDefined();
    const decisive = f!.chain.filter((c) => c.decisive);
    expect(decisive).toHaveLength(1);
    const d = decisive[0]!;
    expect(d.what).toMatch(/writeDerivation/);
    expect(d.what).toContain('writeDerivation=early-return-no-root');
    expect(d.what).toContain(`'${f!.path}'`);
    expect(d.actor).toBe(f!.actor);
    // Before the deletion of the path, which is before the failure; the chain is in seq order.
    const deletion = f!.chain.find((c) => c.what.includes(`deleted '${f!.path}'`));
    expect(deletion).toBeDefined();
    expect(d.seq).toBeLessThan(deletion!.seq);
    expect(f!.chain.at(-1)!.what).toBe(`${f!.actor} (pid ${f!.pid}) failed: ${f!.message}`);
    expect(f!.chain.map((c) => c.seq)).toEqual([...f!.chain.map((c) => c.seq)].sort((a, b) => a - b));
  });
});

describe('rootrace run prints the chain with times and the decisive step', () => {
  it('JSON: each step carries seq, t, pid, actor and words; exactly one is decisive', async () => {
    const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--seed', '1', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { chain: { seq: number; t: number; pid: number; actor: string; what: string; decisive?: boolean }[] }[] };
    expect(j.findings.length).toBeGreaterThan(0);
    for (const f of j.findings) {
      expect(f.chain.length).toBeGreaterThan(0);
      for (const c of f.chain) expect(Object.keys(c)).toEqual(expect.arrayContaining(['seq', 't', 'pid', 'actor', 'what']));
      expect(f.chain.filter((c) => c.decisive === true)).toHaveLength(1);
    }
  });

  it('text: every step has its time in ms, and one says decisive', async () => {
    const r = await rootrace(['run', 'pr-15158', '--profile', 'nix-2.33', '--seed', '1']);
    expect(r.code).toBe(1);
    const steps = r.stdout.split('\n').filter((l) => l.startsWith('  - ['));
    expect(steps.length).toBeGreaterThan(2);
    for (const l of steps) expect(l).toMatch(/^ {2}- \[ *\d+\.\d{3} ms\] /);
    expect(steps.filter((l) => / ms\] decisive: /.test(l))).toHaveLength(1);
    expect(r.stdout).toMatch(/last added a temp root/);
  });
});

describe('gc-socket-enoent on nix-2.8 (sim)', () => {
  it('the decisive step is the root that went to the file only, with the switch that swallowed the ENOENT', async () => {
    const r = await new SimRuntime().run(openScenario('gc-socket-enoent').expand([]).run, profileByName('nix-2.8'), 1);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      const d = f.chain.filter((c) => c.decisive);
      expect(d).toHaveLength(1);
      expect(d[0]!.what).toMatch(/added a temp root for '\/nix\/store\/.*' to its file only: the running GC's roots socket never got it, because rootsSocketEnoent=swallow on this profile$/);
      expect(d[0]!.switch).toEqual({ name: 'rootsSocketEnoent', value: 'swallow' });
    }
    // 2.20+ retries the connect: the root reaches the GC, and nothing fails.
    expect((await new SimRuntime().run(openScenario('gc-socket-enoent').expand([]).run, profileByName('nix-2.35'), 1)).findings).toEqual([]);
  });
});
