/**
 * Injected deaths (a scenario's `crash:` points, `--crash`, crash sweeps): the
 * one decision both runtimes take at every ctx.step, after its hooks. The
 * runtimes only perform the death they are told of:
 *
 * - `kill` (SIGKILL): the process stops where it is — no destructor, no
 *   `finally` — and the kernel drops its flocks; its temp-roots file stays
 *   until a GC finds it stale (§1.3).
 * - `term` (SIGTERM): Nix's signal handler sets the interrupt flag, and each
 *   thread of the process throws `Interrupted` at its next checkInterrupt
 *   (once per thread, libutil signals.cc `_interrupted`). The stack unwinds:
 *   the GC's finalisers stop the roots server, ~LocalStore unlinks the
 *   temp-roots file. A roots-server client thread that throws it aborts the
 *   whole process instead (#15962).
 *
 * A signal goes to a process: an auto-GC thread's death is its process's. The
 * state every actor of the run shares (arrivals per point, the pid each point
 * went to) is an Int32Array, shared memory in the threads runtime, so the n-th
 * arrival is counted once over all actors of a name whatever thread they run on.
 */
import { RootraceError, type SerializedError } from '../messages/errors.js';
import type { ExitCause } from '../messages/inspect.js';
import type { CrashPoint, CrashSignal, ProcessSpec } from '../messages/scenario.js';

/**
 * `Interrupted` ("interrupted by the user", libutil signals.cc): not an
 * `Error` in Nix, so `catch (Error &)` blocks — processConnection's, the
 * client's error handling — let it through, and the process ends.
 */
export class Interrupted extends RootraceError {
  constructor() {
    super('rootrace.terminated', 'interrupted by the user', { signal: 'term' });
    this.name = 'Interrupted';
  }
}

/** How an injected SIGKILL ends a process (the exit event's error text). */
export function killedBy(label: string): SerializedError {
  return { code: 'rootrace.terminated', name: 'Killed', message: `killed by SIGKILL at ${label}`, data: { injected: 'kill', label } };
}

/**
 * SIGTERM on a roots-server client thread: its readLine calls checkInterrupt,
 * the Interrupted it throws escapes the thread (gc.cc ~496 catches only
 * `Error`; #15962, open at HEAD) and std::terminate aborts the process — no
 * destructors, as for a failed assertion (the coordinator's `aborted`).
 */
export function abortedBy(label: string): SerializedError {
  return {
    code: 'nix.Assertion',
    name: 'Terminate',
    message: "terminate called after throwing an instance of 'nix::Interrupted' (what(): interrupted by the user) in a roots-server thread (#15962)",
    data: { injected: 'abort', label, path: '' },
  };
}

/** An actor that stopped itself at an injected death of its process (SIGKILL, or the abort of #15962). */
export function isInjectedDeath(e: SerializedError | undefined): boolean {
  return typeof e?.data?.['injected'] === 'string';
}

/** An actor body that threw `Interrupted`, or stopped at an injected kill, ended as a death, not as an error. */
export function exitCauseOf(cause: ExitCause, error: SerializedError | undefined): ExitCause {
  return cause === 'error' && error?.code === 'rootrace.terminated' ? 'terminated' : cause;
}

/** Steps of a GC's roots-server client threads, which have no destructors to run: a SIGTERM there aborts (#15962). */
const ROOTS_SERVER_LABELS: ReadonlySet<string> = new Set(['roots.received']);

/** The process a thread belongs to: `gc-thread(W(E1))` is a thread of `W(E1)`. */
export function processOfActor(name: string): string {
  const m = /^gc-thread\((.*)\)$/.exec(name);
  return m ? m[1]! : name;
}

/**
 * Why `name` names no actor a run of `processes` can have (null: it can): a
 * process `E1`, a daemon worker `W(E1)` of a process that talks to the daemon,
 * an auto-GC thread `gc-thread(W(E1))` of a worker, or `gc-thread(L)` of a
 * process with its own store (`store: local`, nix-collect-garbage).
 */
export function crashActorProblem(name: string, processes: readonly ProcessSpec[]): string | null {
  const gc = /^gc-thread\((.*)\)$/.exec(name);
  const inner = gc ? gc[1]! : name;
  const w = /^W\((.*)\)$/.exec(inner);
  const procName = w ? w[1]! : inner;
  const proc = processes.find((p) => p.name === procName);
  const shape = 'an actor: PROCESS, W(PROCESS) (its daemon worker) or gc-thread(W(PROCESS)) / gc-thread(PROCESS) (an auto-GC thread)';
  if (!proc) {
    if (/[()]/.test(procName)) return `expected ${shape}, got '${name}'`;
    return `unknown process '${procName}' (defined: ${processes.map((p) => p.name).join(', ') || 'none'})`;
  }
  const ownStore = proc.store === 'local' || proc.kind === 'nix-collect-garbage';
  if (w && ownStore && proc.evalStore !== 'daemon') return `'${procName}' opens the store itself (no daemon worker serves it): crash '${procName}' or 'gc-thread(${procName})'`;
  if (gc && !w && !ownStore) return `'${procName}' goes through the daemon: its auto-GC runs in its worker, 'gc-thread(W(${procName}))'`;
  return null;
}

/** `W(E1)@addToStore.register#2:term` — the `--crash` syntax, and how sweeps name a point. */
export function showCrashPoint(p: CrashPoint): string {
  return `${p.process}@${p.label}#${p.occurrence ?? 1}:${p.signal}`;
}

/** Parses `PROCESS@LABEL[#N][:kill|term]` (signal default `kill`); null if it is not of that shape. */
export function parseCrashPoint(text: string): CrashPoint | null {
  const m = /^(.+)@([^@#:\s]+)(?:#([0-9]+))?(?::(kill|term))?$/.exec(text.trim());
  if (!m) return null;
  const occurrence = m[3] === undefined ? 1 : Number(m[3]);
  if (occurrence < 1) return null;
  return { process: m[1]!, label: m[2]!, occurrence, signal: (m[4] ?? 'kill') as CrashSignal };
}

/**
 * What the runtime must do at this arrival at a step. `crash`: the injected
 * signal landed here (record `inspect.crash`). `action`: `die` — this process
 * is SIGKILLed here; `abort` — it aborts (#15962); `interrupt` — throw
 * Interrupted; `stop` — another thread's SIGKILL: stop and let the runtime's
 * kill end this actor; `continue` — go on (a thread that already threw).
 */
export interface Fate {
  readonly crash?: { readonly point: CrashPoint; readonly occurrence: number };
  readonly action: 'die' | 'abort' | 'interrupt' | 'stop' | 'continue';
}

/** Every arrival at a step, in order, as (actor, label, occurrence): the crash points a run reaches. */
export class StepCensus {
  private readonly counts = new Map<string, number>();
  readonly arrivals: { readonly actor: string; readonly label: string; readonly occurrence: number }[] = [];

  count(actor: string, label: string): void {
    const key = `${actor}\u0000${label}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    this.arrivals.push({ actor, label, occurrence: n });
  }
}

/** Int32 slots per point in the shared state: arrivals so far, and the pid the signal went to (0: not yet). */
const SLOTS = 2;

/** The run's crash points and their shared state: one per run, seen by every actor. */
export class CrashPlan {
  readonly points: readonly CrashPoint[];

  constructor(
    points: readonly CrashPoint[] | undefined,
    private readonly state: Int32Array = new Int32Array(new SharedArrayBuffer(CrashPlan.bytesFor(points))),
    private readonly census: StepCensus | null = null,
  ) {
    this.points = points ?? [];
    if (state.length < this.points.length * SLOTS) throw new RangeError(`crash state of ${state.length} slots for ${this.points.length} points`);
  }

  /** The shared state's size for `points` (never 0 bytes: a SharedArrayBuffer of 0 is valid, but keep one slot pair). */
  static bytesFor(points: readonly CrashPoint[] | undefined): number {
    return Int32Array.BYTES_PER_ELEMENT * SLOTS * Math.max(1, points?.length ?? 0);
  }

  /** Signals a scheduler sent to a pid at a step of its own choosing (sim: explore --faults), beside the points'. */
  private readonly signalled = new Map<number, CrashSignal>();

  /** Whether any step needs to ask (a plan with no points, no census and no signal sent never changes a run). */
  get active(): boolean {
    return this.points.length > 0 || this.census !== null || this.signalled.size > 0;
  }

  /** A signal sent to `pid` outside the points (one thread: the sim's scheduler); its other threads see it at their next step. */
  signal(pid: number, signal: CrashSignal): void {
    if (this.signalled.get(pid) !== 'kill') this.signalled.set(pid, signal);
  }

  /** The per-actor view (its own once-only Interrupted), as StepHooks is per actor. */
  forActor(name: string, pid: number): ActorCrashes {
    return new ActorCrashes(this, name, pid);
  }

  /** @internal Counts this arrival; the point that fires here, if this is its n-th arrival. */
  fire(name: string, pid: number, label: string): { point: CrashPoint; occurrence: number } | null {
    this.census?.count(name, label);
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i]!;
      if (p.process !== name || p.label !== label) continue;
      // Atomics.add: actors of one name may arrive on several threads at once; exactly one sees the n-th arrival.
      const n = Atomics.add(this.state, i * SLOTS, 1) + 1;
      if (n !== (p.occurrence ?? 1)) continue;
      // Atomics.store: published before the death, so the process's other threads see it at their next step.
      Atomics.store(this.state, i * SLOTS + 1, pid);
      return { point: p, occurrence: n };
    }
    return null;
  }

  /** @internal The strongest signal already sent to `pid` (kill over term), or null. */
  pending(pid: number): CrashSignal | null {
    let found: CrashSignal | null = this.signalled.get(pid) ?? null;
    if (found === 'kill') return found;
    for (let i = 0; i < this.points.length; i++) {
      // Atomics.load: the pid a point's signal went to, stored by whichever thread fired it.
      if (Atomics.load(this.state, i * SLOTS + 1) !== pid) continue;
      if (this.points[i]!.signal === 'kill') return 'kill';
      found = 'term';
    }
    return found;
  }
}

/** One actor's view of the plan: Nix throws Interrupted at most once per thread (`interruptThrown`). */
export class ActorCrashes {
  private interruptThrown = false;

  constructor(
    private readonly plan: CrashPlan,
    private readonly name: string,
    private readonly pid: number,
  ) {}

  get active(): boolean {
    return this.plan.active;
  }

  /** At this arrival at `label` (after its hooks): what the runtime must do, or null to go on. */
  arrive(label: string): Fate | null {
    const fired = this.plan.fire(this.name, this.pid, label);
    const signal = fired ? fired.point.signal : this.plan.pending(this.pid);
    if (signal === null) return null;
    const crash = fired ? { crash: fired } : {};
    if (signal === 'kill') return { ...crash, action: fired ? 'die' : 'stop' };
    // A roots-server thread is a thread of its own in Nix: it throws (and aborts) whatever another thread did.
    if (ROOTS_SERVER_LABELS.has(label)) return { ...crash, action: 'abort' };
    if (!this.interruptThrown) {
      this.interruptThrown = true;
      return { ...crash, action: 'interrupt' };
    }
    return fired ? { ...crash, action: 'continue' } : null;
  }

  /**
   * A scheduler crashes this actor with `signal` at `label` (sim: explore
   * --faults): the action, and the signal recorded for its process's other
   * threads. Nothing is counted: the scheduler's own decisions say where.
   */
  faultAt(label: string, signal: CrashSignal): Fate['action'] {
    this.plan.signal(this.pid, signal);
    if (signal === 'kill') return 'die';
    if (ROOTS_SERVER_LABELS.has(label)) return 'abort';
    if (this.interruptThrown) return 'continue';
    this.interruptThrown = true;
    return 'interrupt';
  }
}
