/**
 * One sim run: the store, the coordinator's bookkeeping and the kernel, and the
 * hosting the threads runtime does with worker threads done here with fibers:
 * a daemon worker per connection, auto-GC threads with their process's pid,
 * kill -9 (the victim is never resumed again), and each actor's end going
 * through Coordinator.ended exactly as the threads runtime's does.
 */
import { ConnectFailed, type Address } from '../../messages/addresses.js';
import { serializeError, type SerializedError } from '../../messages/errors.js';
import type { ActorRole, ExitCause } from '../../messages/inspect.js';
import type { Pid } from '../../messages/ids.js';
import type { Profile, Switches } from '../../messages/profile.js';
import type { RunResult } from '../../messages/result.js';
import type { CrashSignal, ProcessSpec, ScenarioRun } from '../../messages/scenario.js';
import type { DaemonReply, DaemonRequest } from '../../messages/daemon.js';
import type { Connection, GcThreadRequest, GcThreadResult, Listener } from '../../actors/context.js';
import type { ActorWaitState } from '../../actors/deadlockReport.js';
import { Coordinator, type ActorEntry } from '../../actors/coordinator.js';
import { daemonWorker } from '../../actors/daemonWorker.js';
import { clientProcess } from '../../actors/evaluator.js';
import { autoGcThread } from '../../actors/autoGc.js';
import { CrashPlan, Interrupted, abortedBy, exitCauseOf, killedBy, processOfActor, type Fate, type StepCensus } from '../../actors/crashes.js';
import { createStoreFor } from '../../actors/setup.js';
import { switchesFor } from '../../actors/versions.js';
import type { Store } from '../../store/index.js';
import { deriveSeed } from '../random.js';
import { Kernel, type SimActor } from './kernel.js';
import { SimListener, socketPair } from './pipes.js';
import type { SimContext, SimHost } from './simContext.js';
import { WatchedSimContext, simWaitState } from './simWaits.js';
import { recordingStore } from './recordingStore.js';
import type { Strategy } from './strategies/strategy.js';

const TERMINATED: SerializedError = { code: 'rootrace.terminated', name: 'Terminated', message: 'thread terminated' };

type Entry = ActorEntry<SimActor>;

export class SimRun implements SimHost {
  readonly kernel: Kernel;
  readonly coord: Coordinator<SimActor>;
  private readonly store: Store;
  private readonly listeners = new Map<number, SimListener<unknown, unknown>>();
  private readonly contexts = new Map<SimActor, WatchedSimContext>();
  private nextListener = 1;
  private result: RunResult | null = null;
  private readonly wallStart = performance.now();
  private readonly crashes: CrashPlan;
  /** Locks still held once every process had ended (each a description): none, or the kernel's cleanup missed one. */
  heldAtEnd: readonly string[] = [];

  constructor(
    private readonly scenario: ScenarioRun,
    private readonly profile: Profile,
    private readonly seed: number,
    strategy: Strategy,
    maxSteps: number,
    census: StepCensus | null = null,
  ) {
    this.kernel = new Kernel(strategy, maxSteps, { stuck: (reason) => this.stuck(reason), fault: (owner, label, signal) => this.fault(owner, label, signal) });
    const store = createStoreFor(scenario);
    // Under reduction every store operation records its footprint, the coordinator's too (its books are one more object: coordOp).
    this.store = this.kernel.recorder ? recordingStore(store, this.kernel.recorder) : store;
    this.coord = new Coordinator<SimActor>(this.store, scenario, () => this.kernel.nowUs);
    // One thread: the plan's shared state can be an ordinary array.
    this.crashes = new CrashPlan(scenario.crash, new Int32Array(CrashPlan.bytesFor(scenario.crash) / 4), census);
  }

  /** The coordinator's books (registry, pids, exits, listeners, barriers) as one object of the reduction's footprints. */
  private coordOp(): void {
    this.kernel.recorder?.write('coord:books');
  }

  /** The run's result, or null when the strategy pruned it (the rest was equivalent to an explored schedule). */
  async start(): Promise<RunResult | null> {
    // The run header: the first event of the stream, as in the threads runtime.
    const disk = this.store.disk;
    this.coord.emit(0, 'coordinator', { type: 'inspect.run.start', scenario: this.scenario.name, profile: this.profile.name, seed: this.seed, free: disk.freeSpace(), used: disk.usedBytes() });
    for (const spec of this.scenario.processes) {
      if (spec.spawned) continue; // started by a spawn step
      const ctx = this.startActor({ role: spec.kind === 'evaluator' ? 'evaluator' : 'gc', name: spec.name, spec });
      this.spawn(ctx, () => clientProcess(ctx, spec));
    }
    await this.kernel.run();
    if (this.kernel.pruned) return null;
    if (!this.result) throw new Error('sim run ended without a result');
    return this.result;
  }

  private startActor(o: { role: ActorRole; name: string; parent?: Entry; pid?: Pid; spec?: ProcessSpec; parentSwitches?: Switches }): SimContext {
    this.coordOp();
    const group = o.parent ? this.coord.ownerOf(o.parent) : o.name;
    const actor = this.kernel.newActor(o.name, group);
    const entry = this.coord.register({ role: o.role, name: o.name, host: actor, ...(o.parent ? { parent: o.parent } : {}), ...(o.pid !== undefined ? { pid: o.pid } : {}) });
    const ctx = new WatchedSimContext(this, actor, {
      store: this.store,
      pid: entry.pid,
      role: o.role,
      switches: switchesFor(o.role, this.profile, o.spec, o.parentSwitches),
      settings: this.scenario.settings,
      scenario: this.scenario,
      seed: deriveSeed(this.seed, o.name),
      owner: group,
      crashes: this.crashes,
    });
    ctx.entry = entry;
    this.contexts.set(actor, ctx);
    ctx.emit({ type: 'inspect.process.start', role: o.role, name: o.name, ...(o.parent ? { parent: o.parent.pid } : {}) });
    return ctx;
  }

  private spawn(ctx: SimContext, body: () => Promise<unknown>): void {
    this.kernel.spawn(ctx.actor, body, (ok, v) => {
      if (ok) this.ended(ctx.entry, 'normal', v);
      else {
        const error = serializeError(v);
        this.ended(ctx.entry, exitCauseOf('error', error), undefined, error);
      }
    });
  }

  connect<In, Out>(from: SimContext, address: Address): Connection<In, Out> {
    this.coordOp();
    if (address.kind === 'daemon') {
      // The daemon forks a worker per connection, with a fresh store and pid.
      const w = this.startActor({ role: 'daemonWorker', name: `W(${from.name})`, parent: from.entry });
      const [client, server] = socketPair<DaemonReply, DaemonRequest>(this.kernel, { owner: from.actor, label: 'daemon.reply' }, { owner: w.actor, label: 'daemon.request' });
      this.spawn(w, () => daemonWorker(w, server));
      this.coord.emit(from.pid, from.name, { type: 'inspect.connection.open', kind: 'daemon', peer: w.pid });
      return client as unknown as Connection<In, Out>;
    }
    const target = this.coord.gcSocketConnect();
    if (typeof target === 'string') throw new ConnectFailed(target, address);
    const listener = this.listeners.get(target.id)!;
    const [client, server] = socketPair<In, Out>(this.kernel, { owner: from.actor, label: 'roots.reply' }, { owner: listener.owner, label: 'roots.request' });
    listener.offer(server);
    return client;
  }

  listen<In, Out>(from: SimContext): Listener<In, Out> {
    this.coordOp();
    const id = this.nextListener++;
    const l = new SimListener<In, Out>(this.kernel, from.actor, () => {
      this.coordOp();
      this.listeners.delete(id);
      this.coord.unlisten(from.entry, id);
    });
    this.listeners.set(id, l);
    this.coord.listen(from.entry, id);
    return l;
  }

  startGcThread(from: SimContext, req: GcThreadRequest, done: (r: GcThreadResult) => void): void {
    // The auto-GC thread belongs to the calling process: same pid, its own fibers.
    const run = this.coord.nextGcRunName(from.name);
    const t = this.startActor({ role: 'autoGcThread', name: `gc-thread(${from.name})`, pid: from.pid, parent: from.entry, parentSwitches: from.switches });
    t.entry.onEnd.push((_cause, value) => done((value as GcThreadResult | undefined) ?? { deleted: 0, bytesFreed: 0 }));
    this.spawn(t, async () => {
      // A thread's start is a scheduling decision: collectGarbage's first lock attempt is not atomic with the spawn.
      await this.kernel.park(t.actor, 'step', 'thread.start');
      return autoGcThread(t, { maxFreed: req.maxFreed, run, stateLock: req.stateLock });
    });
  }

  spawnProcess(_from: SimContext, name: string, iterations: readonly number[], done: (ok: boolean) => void): void {
    const spec = this.scenario.processes.find((p) => p.name === name && p.spawned);
    if (!spec) return done(false);
    const ctx = this.startActor({ role: spec.kind === 'evaluator' ? 'evaluator' : 'gc', name: spec.name, spec });
    ctx.entry.onEnd.push((cause) => done(cause === 'normal'));
    this.spawn(ctx, () => clientProcess(ctx, spec, iterations));
  }

  killWorkersOf(from: SimContext): void {
    for (const w of from.entry.workers) if (!w.ended) this.ended(w, 'terminated', undefined, TERMINATED);
  }

  /**
   * A death the crash plan decided at `from`'s step `label`. SIGKILL (and the
   * abort of #15962): the process (a GC thread's: its owner) ends now, buried
   * with every thread of it, and this fiber is never resumed. SIGTERM: the
   * fiber parks at the step as usual and throws Interrupted when it is next
   * scheduled (thrown at once, the unwinding would run while the kernel counts
   * the fiber as parked: a roots server started in this same turn parks in its
   * place).
   */
  async crash(from: SimContext, fate: Fate, label: string): Promise<void> {
    if (fate.crash) {
      const { point, occurrence } = fate.crash;
      from.emit({ type: 'inspect.crash', signal: point.signal, label, occurrence, process: processOfActor(from.name) });
    }
    if (fate.action === 'interrupt' || fate.action === 'continue') {
      await this.kernel.park(from.actor, 'step', label);
      if (fate.action === 'interrupt') throw new Interrupted();
      return;
    }
    // Parked first (the kernel counts this fiber as running until it parks), then buried with its process: never resumed.
    const gone = this.kernel.park(from.actor, 'step', label);
    const proc = from.entry.role === 'autoGcThread' && from.entry.parent ? from.entry.parent : from.entry;
    if (!proc.ended) {
      if (fate.action === 'abort') this.ended(proc, 'aborted', undefined, abortedBy(label));
      else this.ended(proc, 'terminated', undefined, killedBy(label));
    }
    this.kernel.bury(from.actor);
    return gone;
  }

  /**
   * The strategy crashes `owner` at the crash point `label` (explore
   * --faults), as a `crash:` point would there: `inspect.crash` (its
   * occurrence counted from the decisions, as `--crash` counts arrivals),
   * then the death: what the fiber throws, `gone`, or `resume`.
   */
  private fault(owner: SimActor, label: string, signal: CrashSignal): { readonly error: unknown } | 'gone' | 'resume' {
    const ctx = this.contexts.get(owner);
    if (!ctx || ctx.entry.ended) return 'gone';
    const occurrence = this.kernel.decisions.reduce((n, d) => (d.actor === owner.name && d.label === label ? n + 1 : n), 0);
    ctx.emit({ type: 'inspect.crash', signal, label, occurrence, process: processOfActor(ctx.name) });
    const action = ctx.crashes.faultAt(label, signal);
    if (action === 'interrupt') return { error: new Interrupted() };
    if (action === 'continue') return 'resume';
    const proc = ctx.entry.role === 'autoGcThread' && ctx.entry.parent ? ctx.entry.parent : ctx.entry;
    if (action === 'abort') this.ended(proc, 'aborted', undefined, abortedBy(label));
    else this.ended(proc, 'terminated', undefined, killedBy(label));
    this.kernel.bury(owner);
    return 'gone';
  }

  /** An actor ended (returned, threw, or was killed): the kernel's cleanup, then the coordinator's. */
  private ended(e: Entry, cause: ExitCause, value: unknown, error?: SerializedError): void {
    if (e.ended) return;
    this.coordOp();
    this.kernel.bury(e.host);
    const { orphans, complete } = this.coord.ended(e, cause, value, error);
    // Process death: its GC threads die with it.
    for (const t of orphans) this.ended(t, 'terminated', undefined, TERMINATED);
    if (complete) this.complete();
  }

  /**
   * Deadlock (nothing can run, nobody sleeps) or the step budget spent (a
   * livelock, or a run longer than the budget): the watchdog's report, with
   * each live actor's parks, then every actor is killed.
   */
  private stuck(reason: 'deadlock' | 'step-limit'): void {
    const waits = new Map<Entry, ActorWaitState>();
    for (const e of this.coord.actors) {
      const ctx = this.contexts.get(e.host);
      if (!e.ended && ctx) waits.set(e, simWaitState(this.kernel, ctx));
    }
    if (reason === 'deadlock') this.coord.deadlock('no progress: every live actor is blocked', waits);
    else this.coord.deadlock(`step budget of ${this.kernel.maxSteps} decisions exhausted`, waits, ['a spent budget is not proof of a deadlock: raise it with --max-steps']);
    for (const a of this.coord.actors) if (!a.ended) this.ended(a, 'terminated', undefined, TERMINATED);
  }

  private complete(): void {
    if (this.result) return;
    // Every process has ended: the kernel has closed every description, so no flock can be held.
    this.heldAtEnd = this.store.flock.holders().map((h) => `${h.mode} lock of pid ${h.owner} on file ${h.file}`);
    this.kernel.finish();
    this.result = this.coord.result(this.profile.name, this.seed, { distinct: 1, maxConcurrent: 1 }, performance.now() - this.wallStart);
  }
}
