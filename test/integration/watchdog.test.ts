/**
 * A run that cannot make progress ends with a `deadlock` finding saying, for
 * each live actor, what it waits for and what it holds; it never hangs. A run
 * that is only slow is not one.
 */
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { foo, gcLockStuck, scenario } from '../fixtures/scenarios.js';

const rt = new ThreadsRuntime({ timeoutMs: 300 });
afterAll(() => rt.close());

// A's daemon worker pauses inside its build (holding its temp-roots lock) on a
// barrier whose other party, a hook on a step that never runs, never arrives.
const stuck = scenario({
  name: 'stuck',
  derivations: [foo],
  processes: [{ name: 'A', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'foo' }, { op: 'realise', drv: 'foo' }] }],
  hooks: [
    { process: 'A', label: 'build.run', barriers: ['never'] },
    { process: 'A', label: 'no.such.step', barriers: ['never'] },
  ],
});

it('reports a deadlock with what each actor waits for and holds, and still returns a result', async () => {
  const r = await rt.run(stuck, profileByName('nix-2.35'), 1);
  const f = r.findings.find((x) => x.kind === 'deadlock');
  expect(f).toBeDefined();
  expect(f!.message).toMatch(/^no progress for \d+ ms and every live actor is blocked; still running .*A \(pid \d+\)/);
  // The client waits for its worker's reply; the worker for the barrier, holding its temp-roots file.
  expect(f!.message).toMatch(/A \(pid \d+\) waits for a reply on its daemon connection from W\(A\) \(pid \d+\); holds no lock/);
  expect(f!.message).toMatch(/W\(A\) \(pid \d+\) waits for barrier 'never' \(1 of 2 parties arrived: A; still to come: A\); holds temproots\/\d+ \(exclusive\)/);
  // The runtime is still usable afterwards.
  const ok = await rt.run({ ...stuck, hooks: [] }, profileByName('nix-2.35'), 2);
  expect(ok.findings).toEqual([]);
});

it('names the holder of the flock an actor waits for', async () => {
  const r = await rt.run(gcLockStuck, profileByName('nix-2.35'), 3);
  const f = r.findings.find((x) => x.kind === 'deadlock');
  expect(f).toBeDefined();
  expect(f!.message).toMatch(/H \(pid (\d+)\) waits for flock gc\.lock \(exclusive\), held by G \(pid \d+\) \(exclusive\)/);
  expect(f!.message).toMatch(/G \(pid \d+\) waits for barrier 'never' .*; holds gc\.lock \(exclusive\)/);
});

it('does not cut short a run that is only slow', async () => {
  // One sleep twice as long as the quiet period: nothing happens meanwhile, but the sleeper is not blocked.
  const slow = scenario({ name: 'slow', processes: [{ name: 'S', kind: 'evaluator', steps: [{ op: 'sleep', ms: 900 }] }] });
  const r = await rt.run(slow, profileByName('nix-2.35'), 4);
  expect(r.findings).toEqual([]);
});
