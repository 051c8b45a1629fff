/**
 * A process's threads stop before its end is recorded (threadsRuntime.ts
 * ended()): exit() and kill end the whole thread group before the kernel
 * closes the pid's fds (do_exit: exit_signals, then exit_files), so no GC
 * thread of a dead process can act after its flocks went — one that did took
 * gc.lock as the dead pid for good, and every later addTempRoot retried
 * ECONNREFUSED for ever (the #12 hang of `check --runtime threads` on
 * eval-jobs-restart, nix-2.34).
 *
 * Forced here: on 2.34 a daemon worker exits without ~LocalStore (no wait for
 * its auto-GC: switch daemonWorkerDestructor, commit c4e408459, protocol notes §2), right after its client's
 * build, while its auto-GC thread (Worker::run's autoGC(false)) sleeps 300 ms of
 * roots scan; and the kill of that thread is made 600 ms slow. Recording the
 * worker's exit first would leave its GC thread running for those 600 ms: its
 * events would follow the exit. Stopped first, none can.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-exit-'));
const file = join(dir, 'exit-during-auto-gc.yaml');
writeFileSync(
  file,
  [
    'schemaVersion: 1',
    'name: exit-during-auto-gc',
    'summary: a daemon worker exits while its auto-GC thread runs',
    'source: "2.34.0 worker exit without ~LocalStore (c4e408459); build/worker.cc autoGC(false)"',
    'costs: { processStart: 0, daemonConnect: 0, op: 0, addToStore: 0, build: 0, gcRoots: 300, gcVisit: 0, gcDelete: 0, jitter: 0 }',
    'settings: { free-space: 1000000, min-free: 2000000, max-free: 3000000, min-free-check-interval: 0 }',
    'derivations: [ { name: foo } ]',
    'store: { drvs: [ { drv: foo } ] }',
    'processes: [ { name: B, kind: evaluator, steps: [ { realise: foo } ] } ]',
    '',
  ].join('\n'),
);
const scenario = openScenario(file).expand().run;

const rt = new ThreadsRuntime({ timeoutMs: 20_000, record: true, timeScale: 1 });
afterAll(() => rt.close());
// A slow kill (a loaded machine's, stretched): the pool's kill waits 600 ms before it acts.
const pool = Reflect.get(rt, 'pool') as { kill(h: unknown, actor: number): Promise<void> };
const kill = pool.kill.bind(pool);
pool.kill = async (h, actor) => {
  await sleep(600);
  return kill(h, actor);
};

it('a daemon worker that exits during its auto-GC: nothing of its GC thread comes after its exit', async () => {
  const r = await rt.run(scenario, profileByName('nix-2.34'), 1);
  const ev = r.recorded!;
  const worker = ev.find((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker')!;
  const gcThread = ev.find((e) => e.type === 'inspect.process.start' && e.role === 'autoGcThread');
  // The premise: the worker started an auto-GC thread and exited without waiting for it.
  expect(gcThread?.pid).toBe(worker.pid);
  expect(ev.some((e) => e.type === 'inspect.log' && e.pid === worker.pid && e.text.startsWith('waiting for auto-GC'))).toBe(false);
  const exit = ev.findIndex((e) => e.type === 'inspect.process.exit' && e.pid === worker.pid);
  expect(exit).toBeGreaterThan(-1);
  expect(ev.slice(exit + 1).filter((e) => e.pid === worker.pid && e.actor === gcThread!.actor)).toEqual([]);
  expect(r.findings).toEqual([]);
});
