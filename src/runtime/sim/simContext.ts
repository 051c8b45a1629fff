/**
 * ActorContext in the sim runtime. Every operation another actor could observe
 * parks the fiber at the kernel, so the strategy decides what happens next:
 * steps, contended locks, receives, accepts, connects, sleeps, waits for exits,
 * barriers and GC threads. Time is the kernel's virtual clock.
 */
import type { Address } from '../../messages/addresses.js';
import type { InspectBody } from '../../messages/inspect.js';
import type { OfdId } from '../../messages/ids.js';
import { ActorIdentityBase, type ActorContext, type ActorIdentity, type Connection, type GcThreadRequest, type GcThreadResult, type Listener } from '../../actors/context.js';
import type { ActorEntry, Coordinator } from '../../actors/coordinator.js';
import { StepHooks } from '../../actors/hooks.js';
import type { ActorCrashes, CrashPlan, Fate } from '../../actors/crashes.js';
import type { FlockMode } from '../../store/index.js';
import { mulberry32 } from '../random.js';
import type { Kernel, SimActor } from './kernel.js';
import { YIELD_LABELS } from './task.js';

/** What a context needs from its run: the kernel, the coordinator, and actor creation. */
export interface SimHost {
  readonly kernel: Kernel;
  readonly coord: Coordinator<SimActor>;
  /** connect(2): a daemon connection forks a worker; the roots socket may refuse. Throws ConnectFailed. */
  connect<In, Out>(from: SimContext, address: Address): Connection<In, Out>;
  listen<In, Out>(from: SimContext): Listener<In, Out>;
  /** Starts an auto-GC thread of `from`'s process; `done` runs when it ends. */
  startGcThread(from: SimContext, req: GcThreadRequest, done: (r: GcThreadResult) => void): void;
  /** kill -9 of `from`'s daemon workers. */
  killWorkersOf(from: SimContext): void;
  /** fork/exec of a `spawned` process; `done(ok)` when it has exited. */
  spawnProcess(from: SimContext, name: string, iterations: readonly number[], done: (ok: boolean) => void): void;
  /** Performs the death the crash plan decided at `from`'s step `label`: resolves never, or rejects with Interrupted. */
  crash(from: SimContext, fate: Fate, label: string): Promise<void>;
}

export interface SimContextInit extends Omit<ActorIdentity, 'name'> {
  readonly seed: number;
  /** The scenario process this actor belongs to (for step hooks). */
  readonly owner: string;
  /** The run's injected deaths (one plan shared by every actor of the run). */
  readonly crashes: CrashPlan;
}

export class SimContext extends ActorIdentityBase implements ActorContext {
  entry!: ActorEntry<SimActor>;
  private readonly rand: () => number;
  private readonly hooks: StepHooks;
  readonly crashes: ActorCrashes;
  private readonly kernel: Kernel;

  constructor(
    private readonly host: SimHost,
    readonly actor: SimActor,
    init: SimContextInit,
  ) {
    super({ ...init, name: actor.name });
    this.kernel = host.kernel;
    this.rand = mulberry32(init.seed ^ Math.imul(init.pid, 0x9e3779b1));
    this.hooks = new StepHooks(init.scenario, init.owner);
    this.crashes = init.crashes.forActor(actor.name, init.pid);
  }

  emit(body: InspectBody): void {
    // Object.assign, not spread: spreading bodies of many shapes is megamorphic and ~5x slower.
    const header = { seq: this.store.nextSeq(), t: this.kernel.nowUs, thread: this.actor.index + 1, pid: this.pid, actor: this.name };
    this.host.coord.events.push(Object.assign({}, body, header));
  }

  step(label: string): Promise<void> {
    const hooked = this.hooks.barriersAt(label);
    const kind = YIELD_LABELS.has(label) ? 'yield' : 'step';
    // The crash plan counts arrivals over every actor of the run.
    if (this.crashes.active) this.kernel.recorder?.write('crash:plan');
    // A crash point: a fault-injecting strategy may crash the process here instead of resuming it (kernel.ts).
    if (hooked.length === 0 && !this.crashes.active) return this.kernel.park(this.actor, kind, label, undefined, 0, true);
    return (async () => {
      for (const b of hooked) await this.barrier(b);
      // After the hooks: a crash point at a hooked label lands once the forced interleaving has happened.
      const fate = this.crashes.arrive(label);
      if (fate) return this.host.crash(this, fate, label);
      await this.kernel.park(this.actor, kind, label, undefined, 0, true);
    })();
  }

  /** An uncontended lock is taken at once (as in the threads runtime); a contended one parks until the lock word changes. */
  async lock(ofd: OfdId, mode: FlockMode, what: string): Promise<void> {
    const { flock } = this.store;
    if (flock.tryLock(ofd, mode)) return;
    this.emit({ type: 'inspect.lock.wait', file: what, mode });
    const file = flock.fileOf(ofd);
    do {
      const seen = flock.lockState(file);
      await this.kernel.park(this.actor, 'lock', `lock:${what}`, () => flock.lockState(file) !== seen);
    } while (!flock.tryLock(ofd, mode));
    this.emit({ type: 'inspect.lock.grant', file: what, mode });
  }

  sleep(ms: number): Promise<void> {
    const wakeAt = this.kernel.nowUs + Math.max(0, Math.round(ms * 1000));
    return this.kernel.park(this.actor, 'sleep', 'sleep', this.clockReached(wakeAt), wakeAt);
  }

  /** A sleep's readiness: it reads the clock, which every decision advances (so a sleeper's wake is ordered against every step). */
  private clockReached(wakeAt: number): () => boolean {
    const rec = this.kernel.recorder;
    rec?.read('clock:now');
    return () => (rec?.read('clock:now'), this.kernel.nowUs >= wakeAt);
  }

  /** Working for `ms` of model time: parked, like a sleep, until virtual time reaches its end. */
  spend(ms: number): Promise<void> {
    const wakeAt = this.kernel.nowUs + Math.max(1, Math.round(ms * 1000));
    return this.kernel.park(this.actor, 'sleep', 'spend', this.clockReached(wakeAt), wakeAt);
  }

  now(): number {
    this.kernel.recorder?.read('clock:now');
    return this.kernel.nowUs / 1e6;
  }

  random(): number {
    return this.rand();
  }

  async connect<In, Out>(address: Address): Promise<Connection<In, Out>> {
    await this.kernel.park(this.actor, 'step', `connect.${address.kind}`);
    return this.host.connect<In, Out>(this, address);
  }

  listen<In, Out>(_address: Address): Listener<In, Out> {
    return this.host.listen<In, Out>(this);
  }

  async runGcThread(req: GcThreadRequest): Promise<GcThreadResult> {
    let result: GcThreadResult | null = null;
    this.host.startGcThread(this, req, (r) => (result = r));
    await this.kernel.park(this.actor, 'wait', 'runGcThread', () => result !== null);
    return result ?? { deleted: 0, bytesFreed: 0 };
  }

  async awaitExit(process: string): Promise<void> {
    let done = false;
    this.host.coord.awaitExit(process, () => (done = true), this.entry);
    await this.kernel.park(this.actor, 'wait', `awaitExit:${process}`, this.coordSays(() => done));
  }

  async barrier(name: string): Promise<void> {
    let released = false;
    this.host.coord.barrier(name, () => (released = true), this.entry);
    await this.kernel.park(this.actor, 'wait', `barrier:${name}`, this.coordSays(() => released));
  }

  /** A wait on the coordinator's books (an exit, a barrier): the coordinator's state is one object for the reduction. */
  private coordSays(cond: () => boolean): () => boolean {
    const rec = this.kernel.recorder;
    rec?.write('coord:books');
    return () => (rec?.read('coord:books'), cond());
  }

  async killDaemonWorker(): Promise<void> {
    await this.kernel.park(this.actor, 'step', 'killDaemonWorker');
    this.host.killWorkersOf(this);
  }

  async spawnProcess(name: string, iterations: readonly number[]): Promise<boolean> {
    let ok: boolean | null = null;
    this.host.spawnProcess(this, name, iterations, (r) => (ok = r));
    await this.kernel.park(this.actor, 'wait', `awaitExit:${name}`, this.coordSays(() => ok !== null));
    return ok === true;
  }
}
