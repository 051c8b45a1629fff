/**
 * Injected deaths at scale on real worker threads (issue #15 item 4): every
 * crash point of pr-15158 (as the sim's census lists them), SIGKILL and
 * SIGTERM, repeated with fresh seeds on a thread per actor and on two shared
 * threads — more than a thousand deaths. Each run must end with a result (the
 * run's end event, an exit for every process it started) and none may hang
 * (no watchdog finding, and a bound per run).
 */
import { afterAll, expect, it } from 'vitest';
import { SimRuntime, ThreadsRuntime, deriveSeed } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';
import type { RunResult } from '../../src/messages/result.js';

const own = new ThreadsRuntime({ record: true, timeoutMs: 5_000 });
const shared = new ThreadsRuntime({ record: true, timeoutMs: 5_000, maxThreads: 2 });
afterAll(() => Promise.all([own.close(), shared.close()]));

/** A run that gives no result within this bound counts as a hang (the watchdog's own period is 5 s). */
const HANG_MS = 30_000;

it('more than 1,000 injected deaths on the threads runtime: no hang, no run without a result', { timeout: 240_000 }, async () => {
  const x = openScenario('pr-15158').expand();
  const [profile] = profilesFor(x, ['nix-2.35'], []);
  const census = (await new SimRuntime({ census: true, hash: false }).run({ ...x.run, crash: [] }, profile!, 1)).sim.census!;
  let runs = 0;
  let deaths = 0;
  let hangs = 0;
  const withoutResult: string[] = [];
  for (let round = 0; deaths < 1000 && round < 20; round++) {
    for (const a of census) {
      for (const signal of ['kill', 'term'] as const) {
        const rt = round % 2 === 0 ? own : shared;
        const point = { process: a.actor, label: a.label, occurrence: a.occurrence, signal };
        const what = `${a.actor}@${a.label}#${a.occurrence}:${signal} round ${round}`;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hang = new Promise<null>((r) => (timer = setTimeout(() => r(null), HANG_MS)));
        const r: RunResult | null = await Promise.race([rt.run({ ...x.run, crash: [point] }, profile!, deriveSeed(round, what)), hang]);
        clearTimeout(timer);
        runs++;
        if (r === null) {
          hangs++;
          continue;
        }
        const ev = r.recorded ?? [];
        if (r.findings.some((f) => f.kind === 'deadlock')) hangs++;
        const started = ev.filter((e) => e.type === 'inspect.process.start' && e.role !== 'autoGcThread').map((e) => e.pid);
        const exited = new Set(ev.filter((e) => e.type === 'inspect.process.exit').map((e) => e.pid));
        if (ev.at(-1)?.type !== 'inspect.run.end' || started.some((p) => !exited.has(p))) withoutResult.push(what);
        deaths += ev.filter((e) => e.type === 'inspect.crash').length;
      }
    }
  }
  expect({ hangs, withoutResult }).toEqual({ hangs: 0, withoutResult: [] });
  expect(deaths).toBeGreaterThanOrEqual(1000);
  // A crash point the sim reached is almost always reached on real threads too (the interleaving may differ).
  expect(deaths).toBeGreaterThan(runs * 0.9);
  console.log(`threads: ${deaths} injected deaths in ${runs} runs, ${hangs} hangs, ${withoutResult.length} runs without a result`);
});
