/**
 * kill -9 of a daemon worker mid-connection: its thread is terminated, the
 * coordinator releases its flocks as the kernel would, the temp-roots file stays
 * behind, the next GC finds it lockable (stale), removes it, and the path the
 * worker had rooted is collected; the run still ends with a result.
 */
import { afterAll, expect, it } from 'vitest';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { killWorker } from '../fixtures/scenarios.js';

const rt = new ThreadsRuntime({ timeoutMs: 20_000 });
afterAll(() => rt.close());

const scenario = killWorker;

it('a terminated daemon worker loses its roots, its file is found stale by the next GC, and the run completes', async () => {
  for (const profile of ['nix-2.35', 'nix-2.8']) {
    const r = await rt.run(scenario, profileByName(profile), 1);
    const ev = r.recorded ?? [];
    expect(ev.length).toBe(0); // not recording: the result alone must tell the story
    expect(r.findings).toEqual([]);
    expect(r.finalStore.valid.some((n) => n.endsWith('-foo.drv'))).toBe(false);
  }
  const rec = new ThreadsRuntime({ timeoutMs: 20_000, record: true });
  try {
    const r = await rec.run(scenario, profileByName('nix-2.35'), 2);
    const events = r.recorded!;
    const worker = events.find((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker')!;
    const exit = events.find((e) => e.type === 'inspect.process.exit' && e.pid === worker.pid);
    expect(exit).toMatchObject({ cause: 'terminated' });
    expect(exit && exit.type === 'inspect.process.exit' && exit.roots.some((p) => p.endsWith('-foo.drv'))).toBe(true);
    const stale = events.find((e) => e.type === 'inspect.tempRoots.stale' && e.file === worker.pid);
    expect(stale).toBeDefined();
    expect(stale!.seq).toBeGreaterThan(exit!.seq);
    const deleted = events.find((e) => e.type === 'inspect.gc.delete' && e.path.endsWith('-foo.drv'));
    expect(deleted!.seq).toBeGreaterThan(stale!.seq);
  } finally {
    await rec.close();
  }
});

it('on a shared thread (maxThreads 1) a killed worker is ended in place: same outcome, and the thread lives on', async () => {
  const shared = new ThreadsRuntime({ timeoutMs: 20_000, record: true, maxThreads: 1 });
  try {
    for (const seed of [3, 4]) {
      const r = await shared.run(scenario, profileByName('nix-2.35'), seed);
      const events = r.recorded!;
      expect(r.threads.distinct).toBe(1);
      const worker = events.find((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker')!;
      expect(events.find((e) => e.type === 'inspect.process.exit' && e.pid === worker.pid)).toMatchObject({ cause: 'terminated' });
      expect(events.some((e) => e.type === 'inspect.tempRoots.stale' && e.file === worker.pid)).toBe(true);
      expect(r.findings).toEqual([]);
      expect(r.finalStore.valid.some((n) => n.endsWith('-foo.drv'))).toBe(false);
    }
  } finally {
    await shared.close();
  }
});
