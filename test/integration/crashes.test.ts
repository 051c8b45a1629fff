/**
 * Injected deaths on both runtimes (issue #15 item 1), each outcome forced by
 * the scenario: a GC killed between invalidating a path and deleting its files
 * (scenarios/gc-killed-mid-delete.yaml), the same with SIGTERM (the GC's
 * finalisers run), an auto-GC thread whose death is its worker's, and the
 * ECONNREFUSED a dead GC's socket file gives the next client.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SimRuntime, ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName, profilesFor } from '../../dist/src/scenarios/index.js';
import type { InspectEvent } from '../../src/messages/inspect.js';
import type { RunResult } from '../../src/messages/result.js';
import type { CrashPoint, ScenarioRun } from '../../src/messages/scenario.js';

const threads = new ThreadsRuntime({ record: true, timeoutMs: 20_000 });
const sim = new SimRuntime({ record: true });
afterAll(() => threads.close());

const RUNTIMES = [
  ['sim', (s: ScenarioRun, p: string, seed: number) => sim.run(s, profileByName(p), seed)],
  ['threads', (s: ScenarioRun, p: string, seed: number) => threads.run(s, profileByName(p), seed)],
] as const;

const of = <T extends InspectEvent['type']>(ev: readonly InspectEvent[], type: T) => ev.filter((e): e is Extract<InspectEvent, { type: T }> => e.type === type);
const exitOf = (ev: readonly InspectEvent[], actor: string) => of(ev, 'inspect.process.exit').find((e) => e.actor === actor);
const valid = (r: RunResult, name: string): boolean => r.finalStore.valid.some((n) => n.endsWith(`-${name}`));
const onDisk = (r: RunResult, name: string): boolean => r.finalStore.onDisk.some((n) => n.endsWith(`-${name}`));

const killedMidDelete = openScenario('gc-killed-mid-delete').expand().run;
const withCrash = (s: ScenarioRun, ...crash: CrashPoint[]): ScenarioRun => ({ ...s, crash });

describe.each(RUNTIMES)('%s runtime', (_name, run) => {
  it.each(['nix-2.8', 'nix-2.33', 'nix-2.35'])('gc-killed-mid-delete on %s: foo.drv stays invalid on disk, and C adds it again over the leftover', async (profile) => {
    for (const seed of [1, 2, 3]) {
      const r = await run(killedMidDelete, profile, seed);
      const ev = r.recorded!;
      const crash = of(ev, 'inspect.crash');
      expect(crash).toMatchObject([{ actor: 'G', signal: 'kill', label: 'gc.deleteFromDisk', occurrence: 1, process: 'G' }]);
      // SIGKILL: G ends where it was; the kernel drops its LOCK_EX on gc.lock; it never deleted a file.
      expect(exitOf(ev, 'G')).toMatchObject({ cause: 'terminated', error: 'killed by SIGKILL at gc.deleteFromDisk', heldLocks: 1 });
      expect(of(ev, 'inspect.gc.delete')).toEqual([]);
      expect(of(ev, 'inspect.gc.phase').some((e) => e.phase === 'done' || e.phase === 'stopping')).toBe(false);
      // C's worker wrote foo.drv again after the kill: the row was gone, the leftover in the way.
      const added = of(ev, 'inspect.op').find((e) => e.actor === 'W(C)' && e.result === 'ok' && e.path.endsWith('-foo.drv') && /addT(o|ext)/.test(e.op));
      expect(added!.seq).toBeGreaterThan(crash[0]!.seq);
      // Since 2.33 writeDerivation asks first: the kill left foo.drv invalid (2.8 always adds).
      const asked = of(ev, 'inspect.check').filter((e) => e.actor === 'C' && e.path.endsWith('-foo.drv'));
      expect(asked.map((e) => e.valid)).toEqual(profile === 'nix-2.8' ? [] : [false]);
      expect(r.findings).toEqual([]);
      expect(valid(r, 'foo.drv') && valid(r, 'bar.drv') && onDisk(r, 'foo.drv')).toBe(true);
    }
  });

  it('SIGTERM instead: the GC unwinds (its server stopped, phase aborted), the store is left the same', async () => {
    const r = await run(withCrash(killedMidDelete, { process: 'G', label: 'gc.deleteFromDisk', signal: 'term' }), 'nix-2.35', 1);
    const ev = r.recorded!;
    expect(of(ev, 'inspect.crash')).toMatchObject([{ actor: 'G', signal: 'term' }]);
    expect(exitOf(ev, 'G')).toMatchObject({ cause: 'terminated', error: 'interrupted by the user' });
    const phases = of(ev, 'inspect.gc.phase').filter((e) => e.actor === 'G').map((e) => e.phase);
    expect(phases.slice(-2)).toEqual(['stopping', 'aborted']);
    expect(of(ev, 'inspect.gc.delete')).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(valid(r, 'foo.drv') && valid(r, 'bar.drv')).toBe(true);
  });

  it.each(['kill', 'term'] as const)('an auto-GC thread that takes a SIG%s takes its daemon worker with it; the client reads EOF', async (signal) => {
    const pr = openScenario('pr-15158').expand().run;
    const r = await run(withCrash(pr, { process: 'gc-thread(W(E1))', label: 'gc.deleteFromDisk', signal }), 'nix-2.35', 1);
    const ev = r.recorded!;
    expect(of(ev, 'inspect.crash')).toMatchObject([{ actor: 'gc-thread(W(E1))', process: 'W(E1)', signal }]);
    const worker = exitOf(ev, 'W(E1)')!;
    expect(worker).toMatchObject({ cause: 'terminated', error: signal === 'kill' ? 'killed by SIGKILL at gc.deleteFromDisk' : 'interrupted by the user' });
    // SIGKILL leaves temproots/<worker> behind; SIGTERM runs ~LocalStore, which unlinks it.
    const unlinked = of(ev, 'inspect.tempRoots.unlink').some((e) => e.file === worker.pid && e.reason === 'destructor');
    expect(unlinked).toBe(signal === 'term');
    expect(r.findings.map((f) => [f.kind, f.actor, f.message])).toEqual([['client-error', 'E1', 'Nix daemon disconnected unexpectedly (maybe it crashed?)']]);
    expect(exitOf(ev, 'E1')).toMatchObject({ cause: 'error' });
  });

  it("after a GC's death its socket file refuses: the next client gets ECONNREFUSED while a new GC holds gc.lock, then goes on", async () => {
    const base = killedMidDelete;
    const scenario: ScenarioRun = {
      ...base,
      processes: [
        base.processes[0]!,
        base.processes[1]!,
        { name: 'G2', kind: 'nix-collect-garbage', steps: [{ op: 'awaitExit', process: 'G' }, { op: 'collectGarbage' }] },
        { name: 'C', kind: 'evaluator', steps: [{ op: 'awaitExit', process: 'G' }, { op: 'barrier', name: 'g2-locked' }, { op: 'instantiate', drv: 'bar' }] },
      ],
      // G2 holds gc.lock and has not bound its own socket yet; C's worker retries once, then both go on.
      hooks: [
        { process: 'G2', label: 'gc.locked', barriers: ['g2-locked', 'refused'] },
        { process: 'C', label: 'addTempRoot.trySharedLock', occurrence: 2, barriers: ['refused'] },
      ],
    };
    for (const seed of [1, 2]) {
      const r = await run(scenario, 'nix-2.35', seed);
      const ev = r.recorded!;
      const g = exitOf(ev, 'G')!;
      const refused = of(ev, 'inspect.roots.connect').find((e) => e.actor === 'W(C)');
      expect(refused).toMatchObject({ result: 'ECONNREFUSED' });
      expect(refused!.seq).toBeGreaterThan(g.seq);
      expect(r.findings).toEqual([]);
      expect(valid(r, 'foo.drv') && valid(r, 'bar.drv')).toBe(true);
    }
  });
});

it('sim: a run with a crash is as replayable as any other (same seed, same event hash)', async () => {
  const rt = new SimRuntime();
  const x = openScenario('pr-15158').expand();
  const [p] = profilesFor(x, ['nix-2.35'], []);
  const s = withCrash(x.run, { process: 'W(X)', label: 'addTempRoot.append', occurrence: 2, signal: 'term' });
  const a = await rt.run(s, p!, 7);
  const b = await rt.run(s, p!, 7);
  expect(a.sim.eventHash).toBe(b.sim.eventHash);
  expect(a.sim.heldAtEnd).toEqual([]);
});
