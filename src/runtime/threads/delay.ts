/**
 * Sub-millisecond delays for `--jitter` (µs). setTimeout has a 1 ms
 * granularity (a 0.2 ms timeout sleeps ~1 ms or more), which would turn every
 * injected microsecond delay into a millisecond one. A delay here sleeps on a
 * timer only for whole milliseconds it can afford to overshoot, then yields
 * macrotask turns (setImmediate) until the deadline: the thread's port handlers
 * (a roots server, a daemon connection) still run in between, and the delay
 * ends within one turn of its deadline.
 */

/** Timers may fire ~1 ms late: the timer part stops this far short of the deadline. */
const TIMER_SLACK_MS = 1;
/** Samples kept per thread (oldest dropped). */
const MAX_SAMPLES = 10_000;

const requested: number[] = [];
const actual: number[] = [];

function turn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Waits `us` microseconds (at least one macrotask turn), and records what it asked for and what it took. */
export async function delayUs(us: number): Promise<void> {
  const start = performance.now();
  const deadline = start + us / 1000;
  const coarseMs = Math.floor(us / 1000) - TIMER_SLACK_MS;
  if (coarseMs >= 1) await new Promise((r) => setTimeout(r, coarseMs));
  do await turn();
  while (performance.now() < deadline);
  if (requested.length >= MAX_SAMPLES) {
    requested.shift();
    actual.shift();
  }
  requested.push(us);
  actual.push((performance.now() - start) * 1000);
}

/** The delays injected on this thread so far, in µs: what each step asked for and what it took. */
export interface DelaySamples {
  readonly requestedUs: readonly number[];
  readonly actualUs: readonly number[];
}

export function delaySamples(): DelaySamples {
  return { requestedUs: [...requested], actualUs: [...actual] };
}
