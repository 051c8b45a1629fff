/**
 * The sim kernel: every actor runs in this one thread, and every fiber of an
 * actor that reaches a ctx point parks here. Between decisions all fibers are
 * parked (or finished, or blocked on an actor-internal promise); the strategy
 * then picks one parked fiber and the kernel resumes it. Time is virtual: one
 * microsecond per decision, and a jump to the next sleeper when nothing else
 * can run.
 */
import type { CrashSignal } from '../../messages/scenario.js';
import type { ParkKind, Task } from './task.js';
import { decisionOf, type Decision } from './task.js';
import type { FootprintRecorder } from './footprint.js';
import type { Strategy } from './strategies/strategy.js';
import { PRUNE, isPreemption } from './strategies/strategy.js';

/** One actor of the run, as the kernel tracks it. */
export class SimActor {
  /** Parks so far: the next park's sequence number. */
  seq = 0;
  /** Ended or killed: never resumed again. */
  dead = false;
  /** What the kernel closes when the actor ends (its sockets, its listeners). */
  readonly closers: (() => void)[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    /** The scenario process it belongs to (Task.group). */
    readonly group: string,
  ) {}
}

class Park implements Task {
  readonly actor: string;
  readonly group: string;
  readonly actorIndex: number;

  constructor(
    readonly owner: SimActor,
    readonly kind: ParkKind,
    readonly label: string,
    readonly seq: number,
    readonly ready: () => boolean,
    /** Resolves the parked fiber's promise, or (for `exit`) performs the exit. */
    readonly resume: () => void,
    /** For `sleep`: the virtual µs at which it becomes runnable. */
    readonly wakeAt: number,
    readonly crashPoint: boolean,
    /** Rejects the parked fiber's promise (a SIGTERM chosen by the strategy: it throws there). */
    readonly fail: (e: unknown) => void,
  ) {
    this.actor = owner.name;
    this.group = owner.group;
    this.actorIndex = owner.index;
  }
}

const ALWAYS = (): boolean => true;
const NOTHING = (): void => undefined;
const RESOLVED = Promise.resolve();
const NEVER = new Promise<void>(() => undefined);
/** Microtask turns to wait for a resumed fiber to park before suspecting it finished. */
const SPIN_LIMIT = 16;
/** Extra turns after every fiber parked, for fibers woken as a side effect (an actor's internal condition variable, an async return chain); repeated while new parks appear. */
const SIDE_TURNS = 4;

export interface KernelHooks {
  /** Nothing can run and nobody sleeps, or the step budget ran out. Must end every actor. */
  stuck(reason: 'deadlock' | 'step-limit'): void;
  /**
   * The strategy crashes `owner` at the crash point `label` instead of
   * resuming it: perform the death. Returns the error its fiber throws there
   * (SIGTERM), `gone` if it is never resumed (SIGKILL: buried), or `resume`
   * (a thread that already threw goes on).
   */
  fault?(owner: SimActor, label: string, signal: CrashSignal): { readonly error: unknown } | 'gone' | 'resume';
}

export class Kernel {
  /** Virtual microseconds since the run started. */
  nowUs = 0;
  /** Decisions taken so far. */
  steps = 0;
  preemptions = 0;
  contextSwitches = 0;
  /** Decisions that resumed an actor of a different scenario process than the previous one. */
  processSwitches = 0;
  /** Times the microtask count did not settle and a macrotask turn was needed. */
  fallbacks = 0;
  readonly decisions: Decision[] = [];
  /** Indices into `decisions` that were preemptions. */
  readonly preemptedAt: number[] = [];
  private parks: Park[] = [];
  /** Fibers resumed or started and not yet parked again (an estimate: see settle). */
  private running = 0;
  private parkCount = 0;
  private previous: string | null = null;
  private previousGroup: string | null = null;
  private finished = false;
  private readonly actors: SimActor[] = [];
  /** The strategy stopped the run (PRUNE): what is left of it is equivalent to a schedule already explored. */
  pruned = false;
  /** Under partial-order reduction: each decision's step records its footprint here. */
  readonly recorder: FootprintRecorder | null;

  constructor(
    private readonly strategy: Strategy,
    /** The step budget: decisions after which the run is stopped (`stuck('step-limit')`). */
    readonly maxSteps: number,
    private readonly hooks: KernelHooks,
  ) {
    this.recorder = strategy.recorder ?? null;
  }

  private keys = 0;

  /** A name for a new shared object (a socket direction, a listener) in footprints: the same in every run that creates it at the same point. */
  newKey(kind: string): string {
    return `${kind}:${this.keys++}`;
  }

  newActor(name: string, group: string): SimActor {
    const a = new SimActor(this.actors.length, name, group);
    this.actors.push(a);
    return a;
  }

  /**
   * Parks the calling fiber of `owner` until a decision resumes it. A dead
   * actor's fiber never resumes. `crashPoint`: a ctx.step, where a strategy
   * may crash the process instead (the promise then rejects, or never settles).
   */
  park(owner: SimActor, kind: ParkKind, label: string, ready: () => boolean = ALWAYS, wakeAt = 0, crashPoint = false): Promise<void> {
    if (owner.dead) return NEVER;
    return new Promise((resolve, reject) => {
      this.parks.push(new Park(owner, kind, label, owner.seq++, ready, resolve, wakeAt, crashPoint, reject));
      this.parkCount++;
      this.running--;
    });
  }

  /** Starts an actor body now; it runs until its first park. `exit` runs when a decision picks its end. */
  spawn(owner: SimActor, body: () => Promise<unknown>, exit: (ok: boolean, v: unknown) => void): void {
    this.running++;
    body().then(
      (v) => this.exitPark(owner, () => exit(true, v)),
      (e: unknown) => this.exitPark(owner, () => exit(false, e)),
    );
  }

  private exitPark(owner: SimActor, perform: () => void): void {
    this.running--;
    if (owner.dead) return;
    this.parks.push(new Park(owner, 'exit', 'exit', owner.seq++, ALWAYS, perform, 0, false, NOTHING));
    this.parkCount++;
  }

  /** The actor ended or was killed: drop its parks, close its sockets. */
  bury(owner: SimActor): void {
    if (owner.dead) return;
    // Killing an actor disables its parks: a write of its process, as far as the step doing it goes.
    this.recorder?.write(`group:${owner.group}`);
    owner.dead = true;
    this.parks = this.parks.filter((p) => p.owner !== owner);
    for (const c of owner.closers.splice(0)) c();
  }

  /** Where each fiber of `owner` is parked now, and whether it could be resumed (the watchdog's view). */
  parksOf(owner: SimActor): { readonly kind: ParkKind; readonly label: string; readonly ready: boolean }[] {
    return this.parks.filter((p) => p.owner === owner).map((p) => ({ kind: p.kind, label: p.label, ready: p.ready() }));
  }

  finish(): void {
    this.finished = true;
  }

  /** Runs decisions until every actor has ended. */
  async run(): Promise<void> {
    while (!this.finished) {
      await this.settle();
      if (this.finished) break;
      const rec = this.recorder;
      // Polling readiness belongs to no step: only the chosen park's condition is recorded (below).
      const ready = rec ? rec.pause(() => this.parks.filter((p) => p.ready())) : this.parks.filter((p) => p.ready());
      if (ready.length === 0) {
        if (!this.wakeSleepers()) this.stop('deadlock');
        continue;
      }
      if (this.steps >= this.maxSteps) {
        this.stop('step-limit');
        continue;
      }
      const choice = { tasks: ready, previous: this.previous, previousGroup: this.previousGroup, step: this.steps, nowUs: this.nowUs };
      const i = this.strategy.choose(choice);
      if (i === PRUNE) {
        this.pruned = true;
        this.finished = true;
        break;
      }
      const p = ready[i];
      if (!p) throw new RangeError(`strategy ${this.strategy.name} chose task ${i} of ${ready.length}`);
      if (p.owner.name !== this.previous && this.previous !== null) this.contextSwitches++;
      if (p.owner.group !== this.previousGroup && this.previousGroup !== null) this.processSwitches++;
      if (isPreemption(choice, p)) {
        this.preemptions++;
        this.preemptedAt.push(this.steps);
      }
      // A fault is the strategy's choice too: crash this fiber's process here instead of resuming it.
      const fault = p.crashPoint && this.strategy.fault && this.hooks.fault ? this.strategy.fault(choice, p) : null;
      this.parks.splice(this.parks.indexOf(p), 1);
      this.decisions.push(fault ? { ...decisionOf(p), fault } : decisionOf(p));
      this.previous = p.owner.name;
      this.previousGroup = p.owner.group;
      this.steps++;
      this.nowUs++;
      if (rec) {
        rec.begin();
        // Program order within a process (its fibers share JS state the store does not see), the tick every decision takes, and what made the park runnable.
        rec.write(`group:${p.owner.group}`);
        rec.increment('clock:now');
        p.ready();
      }
      if (fault) {
        const outcome = this.hooks.fault!(p.owner, p.label, fault);
        if (outcome === 'gone') continue;
        this.running++;
        if (outcome === 'resume') p.resume();
        else p.fail(outcome.error);
        continue;
      }
      if (p.kind !== 'exit') this.running++;
      p.resume();
    }
  }

  private stop(reason: 'deadlock' | 'step-limit'): void {
    this.hooks.stuck(reason);
    if (!this.finished) throw new Error(`sim kernel: the run did not end after ${reason}`);
  }

  /**
   * Waits until every fiber is parked again. A resumed fiber usually parks within
   * a few microtask turns; one that finished or blocked on an actor-internal
   * promise never does, so after SPIN_LIMIT turns one macrotask turn (which
   * drains every microtask) settles it. Fibers woken as a side effect park a
   * turn or two after their waker: wait until no new park appears.
   */
  private async settle(): Promise<void> {
    let spins = 0;
    for (;;) {
      while (this.running > 0) {
        if (++spins > SPIN_LIMIT) {
          await new Promise<void>((r) => setImmediate(r));
          this.fallbacks++;
          this.running = 0;
          break;
        }
        await RESOLVED;
      }
      const seen = this.parkCount;
      for (let i = 0; i < SIDE_TURNS; i++) await RESOLVED;
      if (this.parkCount === seen && this.running <= 0) {
        this.running = 0;
        return;
      }
    }
  }

  /** Nothing runnable: advance virtual time to the earliest sleeper. */
  private wakeSleepers(): boolean {
    let at = Infinity;
    for (const p of this.parks) if (p.kind === 'sleep' && p.wakeAt < at) at = p.wakeAt;
    if (at === Infinity) return false;
    this.recorder?.write('clock:now');
    this.nowUs = Math.max(this.nowUs, at);
    return true;
  }
}
