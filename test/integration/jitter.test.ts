/**
 * `--jitter µs` injects microsecond delays, not millisecond ones: a delay
 * under 1 ms used to become a setTimeout of at least ~1 ms. Asserts on the
 * delays the threads recorded (what each step asked for and what it took), not
 * on how long the runs took.
 */
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { killWorker, tinyScenario } from '../fixtures/scenarios.js';

const rt = new ThreadsRuntime({ jitterUs: 200 });
afterAll(() => rt.close());

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

it('with --jitter 200, the injected delays are microseconds: asked for under 200 µs, taken well under 1 ms', async () => {
  for (let seed = 1; seed <= 4; seed++) {
    await rt.run(tinyScenario, profileByName('nix-2.35'), seed);
    await rt.run(killWorker, profileByName('nix-2.35'), seed);
  }
  const d = await rt.delays();
  expect(d.requestedUs.length).toBeGreaterThanOrEqual(20);
  expect(d.actualUs).toHaveLength(d.requestedUs.length);
  expect(d.requestedUs.every((us) => us >= 0 && us < 200)).toBe(true);
  expect(mean(d.requestedUs)).toBeGreaterThan(0);
  // Every delay lasts at least what it asked for (to float rounding); a ≥ 1 ms timer per delay would put the median at ≥ 1000 µs.
  expect(d.actualUs.every((us, i) => us >= d.requestedUs[i]! - 0.01)).toBe(true);
  expect(mean(d.actualUs)).toBeGreaterThan(0);
  expect(median(d.actualUs)).toBeLessThan(1000);
});
