/**
 * Regression guard for issue #10 item 9: `dropConnection` then
 * `killDaemonWorker` used to freeze a threads run for good about one run in
 * ten — the kill landed while the dropped worker was in its destructor inside
 * the store's directory mutex, and the coordinator, reading temproots/ for the
 * dead pid, slept on that mutex forever on the main thread, so even the
 * watchdog's timer never fired. Every one of 50 runs must end with a result,
 * and with the outcome Nix has (scenarios/drop-then-kill.yaml).
 */
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime, deriveSeed } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

const rt = new ThreadsRuntime();
afterAll(() => rt.close());

it('drop-then-kill: 50 threads runs all end, each with the connection-drop outcome', { timeout: 180_000 }, async () => {
  const x = openScenario('drop-then-kill').expand([]);
  const [profile] = profilesFor(x, [x.defaultProfile], []);
  const kinds: string[][] = [];
  for (let i = 0; i < 50; i++) {
    const r = await rt.run(x.run, profile!, deriveSeed(1, `drop-then-kill#${i}`));
    kinds.push(r.findings.map((f) => f.kind));
  }
  expect(kinds).toHaveLength(50);
  // Never a watchdog finding: the run did not stall; and each time the GC took foo.drv and C's write failed.
  expect(kinds.filter((k) => k.join() !== 'invalid-reference')).toEqual([]);
});
