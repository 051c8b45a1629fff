/**
 * No event is lost when an actor throws or its thread is terminated: whatever
 * another actor could observe (a daemon reply) is recorded before it leaves,
 * events still queued when a thread dies are delivered before its exit, and a
 * process that throws has every event up to its failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { openScenario } from '../../dist/src/scenarios/index.js';

const pr15158 = () => openScenario('pr-15158').expand([]).run;
import { DEFAULT_SETTINGS } from '../../dist/src/messages/profile.js';
import type { InspectEvent } from '../../dist/src/messages/inspect.js';
import type { ScenarioRun } from '../../dist/src/messages/scenario.js';

const rt = new ThreadsRuntime({ timeoutMs: 20_000, record: true });
afterAll(() => rt.close());

const killWorker: ScenarioRun = {
  name: 'kill-worker',
  derivations: [{ name: 'foo', inputDrvs: [], inputSrcs: [], outputs: ['out'], outputSize: 100 }],
  sources: [],
  initial: { drvs: [], srcs: [], roots: [], junk: [] },
  settings: DEFAULT_SETTINGS,
  processes: [{ name: 'A', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'foo' }, { op: 'killDaemonWorker' }] }],
};

/** Every ok reply a client saw has its worker's op end recorded before it. */
function repliesHaveCauses(events: readonly InspectEvent[]): string[] {
  const missing: string[] = [];
  const parent = new Map<number, number>();
  for (const e of events) if (e.type === 'inspect.process.start' && e.parent !== undefined && e.role === 'daemonWorker') parent.set(e.pid, e.parent);
  for (const r of events) {
    if (r.type !== 'inspect.client.reply' || r.result !== 'ok') continue;
    const end = events.find((e) => e.type === 'inspect.op' && e.id === r.id && parent.get(e.pid) === r.pid && e.seq < r.seq);
    if (!end) missing.push(`${r.actor} reply to ${r.op} #${r.id} (seq ${r.seq}) has no recorded op end before it`);
  }
  return missing;
}

describe('recorded streams are complete', () => {
  it('a worker killed right after replying: its last op is recorded, and its exit comes after all its events', async () => {
    for (let i = 0; i < 8; i++) {
      const r = await rt.run(killWorker, profileByName('nix-2.35'), i);
      const ev = r.recorded!;
      expect(repliesHaveCauses(ev)).toEqual([]);
      const w = ev.find((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker')!;
      const exit = ev.find((e) => e.type === 'inspect.process.exit' && e.pid === w.pid)!;
      expect(exit).toMatchObject({ cause: 'terminated' });
      expect(ev.filter((e) => e.pid === w.pid && e.actor === w.actor).at(-1)).toBe(exit);
      expect(ev.some((e) => e.type === 'inspect.op' && e.pid === w.pid && e.op === 'daemon.addToStore' && e.result === 'ok')).toBe(true);
    }
  });

  it('an evaluator that throws (pr-15158 on nix-2.33): every call it made has its reply, before its exit and finding', async () => {
    const r = await rt.run(pr15158(), profileByName('nix-2.33'), 7);
    const ev = r.recorded!;
    expect(repliesHaveCauses(ev)).toEqual([]);
    const failed = ev.filter((e) => e.type === 'inspect.process.exit' && e.cause === 'error');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const x of failed) {
      const calls = ev.filter((e) => e.type === 'inspect.client.call' && e.pid === x.pid);
      const replies = ev.filter((e) => e.type === 'inspect.client.reply' && e.pid === x.pid && e.seq < x.seq);
      expect(replies.map((e) => e.type === 'inspect.client.reply' && e.id)).toEqual(calls.map((e) => e.type === 'inspect.client.call' && e.id));
      expect(replies.at(-1)).toMatchObject({ result: 'error' });
      expect(ev.find((e) => e.type === 'inspect.finding' && e.pid === x.pid)!.seq).toBeGreaterThan(x.seq);
    }
    // The stream is in seq order, bracketed by the run header and end.
    expect(ev[0]!.type).toBe('inspect.run.start');
    expect(ev.at(-1)!.type).toBe('inspect.run.end');
    for (let i = 1; i < ev.length; i++) expect(ev[i]!.seq).toBeGreaterThan(ev[i - 1]!.seq);
  });
});
