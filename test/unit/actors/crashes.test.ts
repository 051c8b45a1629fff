/** The crash plan both runtimes share: which arrival fires, what a signal means for the process's other threads, the syntax. */
import { describe, expect, it } from 'vitest';
import { CrashPlan, Interrupted, StepCensus, crashActorProblem, exitCauseOf, parseCrashPoint, processOfActor, showCrashPoint } from '../../../src/actors/crashes.js';
import { serializeError } from '../../../src/messages/errors.js';
import type { CrashPoint, ProcessSpec } from '../../../src/messages/scenario.js';

const plan = (points: CrashPoint[], census: StepCensus | null = null): CrashPlan => new CrashPlan(points, new Int32Array(new SharedArrayBuffer(CrashPlan.bytesFor(points))), census);

describe('CrashPlan', () => {
  it('fires at the n-th arrival of the named actor at the label, counted over every actor of that name, once', () => {
    const p = plan([{ process: 'W(E1)', label: 'addToStore.register', occurrence: 2, signal: 'kill' }]);
    const first = p.forActor('W(E1)', 1003);
    const second = p.forActor('W(E1)', 1005); // a second connection's worker: same name, another pid
    const other = p.forActor('W(E2)', 1004);
    expect(first.arrive('addToStore.write')).toBeNull();
    expect(other.arrive('addToStore.register')).toBeNull();
    expect(first.arrive('addToStore.register')).toBeNull();
    expect(second.arrive('addToStore.register')).toEqual({ crash: { point: expect.objectContaining({ process: 'W(E1)' }), occurrence: 2 }, action: 'die' });
    // The third arrival is past the point; the first worker's pid got nothing.
    expect(first.arrive('addToStore.register')).toBeNull();
  });

  it('SIGKILL of one thread stops every other thread of its pid at its next step', () => {
    const p = plan([{ process: 'gc-thread(W(E1))', label: 'gc.deleteFromDisk', signal: 'kill' }]);
    const worker = p.forActor('W(E1)', 1003);
    const gc = p.forActor('gc-thread(W(E1))', 1003);
    expect(worker.arrive('addToStore.write')).toBeNull();
    expect(gc.arrive('gc.deleteFromDisk')?.action).toBe('die');
    expect(worker.arrive('addToStore.write')).toEqual({ action: 'stop' });
    expect(p.forActor('E1', 1001).arrive('client.instantiate')).toBeNull();
  });

  it('SIGTERM: each thread of the process throws Interrupted once, a roots-server thread aborts the process (#15962)', () => {
    const p = plan([{ process: 'G', label: 'gc.visit', signal: 'term' }]);
    const g = p.forActor('G', 1001);
    expect(g.arrive('gc.visit')).toEqual({ crash: expect.anything(), action: 'interrupt' });
    // Unwinding: the finalisers' steps go on.
    expect(g.arrive('gc.stopServer')).toBeNull();
    expect(p.forActor('gc-thread(G)', 1001).arrive('gc.locked')).toEqual({ action: 'interrupt' });
    expect(g.arrive('roots.received')).toEqual({ action: 'abort' });
    expect(p.forActor('C', 1002).arrive('client.instantiate')).toBeNull();
  });

  it('a plan with no points and no census is inactive; a census records every arrival in order', () => {
    expect(plan([]).active).toBe(false);
    const census = new StepCensus();
    const p = plan([], census);
    expect(p.active).toBe(true);
    const a = p.forActor('X', 1000);
    a.arrive('client.instantiate');
    a.arrive('client.instantiate');
    p.forActor('W(X)', 1002).arrive('tempRoots.create');
    expect(census.arrivals).toEqual([
      { actor: 'X', label: 'client.instantiate', occurrence: 1 },
      { actor: 'X', label: 'client.instantiate', occurrence: 2 },
      { actor: 'W(X)', label: 'tempRoots.create', occurrence: 1 },
    ]);
  });

  it('Interrupted ends an actor as terminated, not as an error', () => {
    expect(exitCauseOf('error', serializeError(new Interrupted()))).toBe('terminated');
    expect(exitCauseOf('error', serializeError(new Error('x')))).toBe('error');
    expect(new Interrupted().message).toBe('interrupted by the user');
  });
});

describe('crash point syntax', () => {
  it('PROCESS@LABEL[#N][:kill|term], kill and #1 by default; shown back the same way', () => {
    expect(parseCrashPoint('W(E1)@addToStore.register#1:kill')).toEqual({ process: 'W(E1)', label: 'addToStore.register', occurrence: 1, signal: 'kill' });
    expect(parseCrashPoint('gc-thread(W(E1))@gc.deleteFromDisk')).toEqual({ process: 'gc-thread(W(E1))', label: 'gc.deleteFromDisk', occurrence: 1, signal: 'kill' });
    expect(parseCrashPoint('G@gc.visit#3:term')).toMatchObject({ occurrence: 3, signal: 'term' });
    for (const bad of ['W(E1)', '@x', 'G@gc.visit#0', 'G@gc.visit:stop', 'G@gc.visit#x']) expect(parseCrashPoint(bad)).toBeNull();
    expect(showCrashPoint({ process: 'W(E1)', label: 'addToStore.register', signal: 'term' })).toBe('W(E1)@addToStore.register#1:term');
    expect(processOfActor('gc-thread(W(E1))')).toBe('W(E1)');
    expect(processOfActor('W(E1)')).toBe('W(E1)');
  });

  it('names only actors a run of the scenario can have', () => {
    const procs: ProcessSpec[] = [
      { name: 'E1', kind: 'evaluator', steps: [] },
      { name: 'L', kind: 'evaluator', store: 'local', steps: [] },
      { name: 'G', kind: 'nix-collect-garbage', steps: [] },
    ];
    for (const ok of ['E1', 'W(E1)', 'gc-thread(W(E1))', 'L', 'gc-thread(L)', 'G']) expect(crashActorProblem(ok, procs)).toBeNull();
    expect(crashActorProblem('E2', procs)).toMatch(/unknown process 'E2' \(defined: E1, L, G\)/);
    expect(crashActorProblem('W(L)', procs)).toMatch(/opens the store itself/);
    expect(crashActorProblem('W(G)', procs)).toMatch(/opens the store itself/);
    expect(crashActorProblem('gc-thread(E1)', procs)).toMatch(/gc-thread\(W\(E1\)\)/);
    expect(crashActorProblem('W(W(E1))', procs)).toMatch(/expected an actor/);
  });
});
