/**
 * Issue #12 item 1: loops (`loop: { times, onError }`), spawned processes
 * (`spawn:` — a shell's fork/exec and wait) and per-iteration derivations
 * (`app-{n}`), with outcomes forced by the programs themselves, on both runtimes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimRuntime, ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';
import type { InspectEvent } from '../../src/messages/inspect.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-loops-'));
const threads = new ThreadsRuntime({ record: true, timeoutMs: 20_000 });
afterAll(() => threads.close());
const sim = new SimRuntime({ record: true });

function scenario(name: string, body: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `schemaVersion: 1\nname: ${name}\nsummary: s\nsource: s\n${body}`);
  return openScenario(file).expand().run;
}

// d-{n} refers to never.drv, which nobody wrote: every iteration's writeDerivation fails to register.
const failing = (onError: string) =>
  scenario(
    `loop-${onError}`,
    `derivations:\n  - { name: never }\n  - { name: "d-{n}", inputDrvs: [never] }\nprocesses:\n  - { name: L, kind: evaluator, loop: { times: 3, onError: ${onError} }, steps: [ { writeDerivation: "d-{n}" } ] }\n`,
  );

const shell = scenario(
  'loop-spawn',
  `derivations:\n  - { name: hosts }\n  - { name: "app-{n}", inputDrvs: [hosts] }\nprocesses:\n  - { name: S, kind: evaluator, loop: { times: 3 }, steps: [ { spawn: I } ] }\n  - { name: I, kind: evaluator, spawned: true, steps: [ { instantiate: "app-{n}" } ] }\n`,
);

// A duration loop: iterations start while less than `for` model ms have passed since the first.
const timed = (loop: string) => scenario(`loop-for-${loop.length}`, `processes:\n  - { name: T, kind: evaluator, loop: ${loop}, steps: [ { sleep: 100 } ] }\n`);

describe.each(['sim', 'threads'] as const)('%s runtime', (runtime) => {
  const run = (s: ReturnType<typeof scenario>) => (runtime === 'sim' ? sim.run(s, profileByName('nix-2.35'), 1) : threads.run(s, profileByName('nix-2.35'), 1));
  const iterations = (ev: readonly InspectEvent[]) => ev.flatMap((e) => (e.type === 'inspect.loop.iteration' ? [[e.n, e.ok]] : []));

  it('onError: continue runs every iteration and records each failure with Nix\'s text', async () => {
    const r = await run(failing('continue'));
    expect(r.iterations).toEqual({ L: { total: 3, failed: 3 } });
    expect(iterations(r.recorded!)).toEqual([[1, false], [2, false], [3, false]]);
    expect(r.findings.map((f) => f.kind)).toEqual(['invalid-reference', 'invalid-reference', 'invalid-reference']);
    expect(r.findings[0]!.message).toMatch(/^path '\/nix\/store\/[0-9a-z]{32}-never\.drv' is not valid$/);
  });

  it('onError: stop ends the process at the first failure, with that failure as its error', async () => {
    const r = await run(failing('stop'));
    expect(r.iterations).toEqual({ L: { total: 1, failed: 1 } });
    expect(r.findings.map((f) => [f.kind, f.actor])).toEqual([['invalid-reference', 'L']]);
  });

  it('spawn: each iteration forks a fresh process (its own pid and daemon worker) that writes its own app-{n}.drv', async () => {
    const r = await run(shell);
    expect(r.findings).toEqual([]);
    expect(r.iterations).toEqual({ S: { total: 3, failed: 0 } });
    const pids = r.recorded!.filter((e) => e.type === 'inspect.process.start' && e.name === 'I').map((e) => e.pid);
    expect(new Set(pids).size).toBe(3);
    expect(r.recorded!.filter((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker').length).toBe(3);
    for (const n of [1, 2, 3]) expect(r.finalStore.valid.some((p) => p.endsWith(`-app-${n}.drv`))).toBe(true);
  });

  it('loop: { for } starts iterations only while the model time is not up; times caps it', async () => {
    // 100 ms a pass, 250 ms: passes start at 0, 100 and 200 ms (virtual in sim); real sleeps only
    // run late, so on threads at most those three start, and the first always does.
    const r = await run(timed('{ for: 250 }'));
    const total = r.iterations!.T!.total;
    if (runtime === 'sim') expect(total).toBe(3);
    else {
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(3);
    }
    expect(r.iterations!.T!.failed).toBe(0);
    // Time to spare: the cap ends it.
    expect((await run(timed('{ for: 1000000, times: 2 }'))).iterations).toEqual({ T: { total: 2, failed: 0 } });
  });
});
