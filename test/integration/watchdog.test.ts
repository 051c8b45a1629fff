/** A run that cannot make progress ends with a `deadlock` finding naming who holds which lock; it never hangs. */
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { foo, scenario } from '../fixtures/scenarios.js';

const rt = new ThreadsRuntime({ timeoutMs: 1500 });
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

it('reports a deadlock with the lock holders and still returns a result', async () => {
  const r = await rt.run(stuck, profileByName('nix-2.35'), 1);
  const f = r.findings.find((x) => x.kind === 'deadlock');
  expect(f).toBeDefined();
  expect(f!.message).toMatch(/still running .*A \(pid \d+\)/);
  expect(f!.message).toMatch(/holds temproots\/\d+ \(exclusive\)/);
  // The runtime is still usable afterwards.
  const ok = await rt.run({ ...stuck, hooks: [] }, profileByName('nix-2.35'), 2);
  expect(ok.findings).toEqual([]);
});
