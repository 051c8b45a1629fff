/**
 * The threads runtime: every process actor runs in a worker thread; the
 * coordinator on the main thread brokers daemon connections (a fresh worker
 * process per connection), the roots socket, GC threads, barriers and exits,
 * and turns the collected events into a RunResult.
 */
import { MessageChannel, threadId, type MessagePort } from 'node:worker_threads';
import type { HostToCoordinator } from '../../messages/control.js';
import { serializeError, type SerializedError } from '../../messages/errors.js';
import type { ActorRole, ExitCause } from '../../messages/inspect.js';
import { mintRunId, type Pid } from '../../messages/ids.js';
import type { Profile, Switches } from '../../messages/profile.js';
import type { RunResult } from '../../messages/result.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { Store } from '../../store/index.js';
import { ownerOfThread, setMutexIdentity } from '../../store/mutex.js';
import { recoverStoreMutexes, storeMutexHolders } from '../../store/recovery.js';
import type { ActorWaitState } from '../../actors/deadlockReport.js';
import { Coordinator, type ActorEntry } from '../../actors/coordinator.js';
import { CrashPlan, exitCauseOf, isInjectedDeath } from '../../actors/crashes.js';
import { createStoreFor } from '../../actors/setup.js';
import { switchesFor } from '../../actors/versions.js';
import type { StartMessage } from '../entries/host.worker.js';
import { deriveSeed } from '../random.js';
import { Comlink } from './comlink.js';
import type { DelaySamples } from './delay.js';
import { HostPool, type Host } from './hostPool.js';
import { probeActors } from './probe.js';
import { keepScenario, scenarioKey } from './scenarioCache.js';
import { StoreGate } from './storeGate.js';
import { Watchdog } from './watchdog.js';

export interface ThreadsRuntimeOptions {
  /** Seeded delay bound at each ctx.step, µs (0: just yield a macrotask). */
  readonly jitterUs?: number;
  /** Real ms slept per model ms of the scenario's costs (default 0: as fast as possible). */
  readonly timeScale?: number;
  /**
   * The watchdog's quiet period (ms, default 5000): a run is reported as a
   * deadlock when nothing has happened for this long and every live actor is
   * blocked (watchdog.ts). A slow run is never cut short.
   */
  readonly timeoutMs?: number;
  /** At most this many worker threads host actors at once (they then share threads); default: one per actor. */
  readonly maxThreads?: number;
  /** Return the inspection stream on each RunResult (`recorded`). */
  readonly record?: boolean;
}

/** Where an actor runs: a host thread, and its key there (threads may be shared). */
interface Slot {
  readonly thread: Host;
  readonly actor: number;
}

type Entry = ActorEntry<Slot>;
let actorCounter = 0;


export const DEFAULT_QUIET_MS = 5_000;

export class ThreadsRuntime {
  private readonly pool: HostPool;
  /** Runs started and not yet finished. */
  private readonly live = new Set<Run>();
  constructor(private readonly opts: ThreadsRuntimeOptions = {}) {
    this.pool = new HostPool(opts.maxThreads ?? null);
    // This thread hosts coordinators: it must never sleep on a store mutex (storeGate.ts).
    setMutexIdentity({ owner: ownerOfThread(threadId), mayBlock: false });
  }

  /** The delays `--jitter` injected so far on this runtime's live threads, in µs. */
  delays(): Promise<DelaySamples> {
    return this.pool.delays();
  }

  /**
   * Ends the runtime: its host threads are terminated. A run still in flight
   * (abandoned at an interrupt) never settles; its watchdog is stopped so that
   * nothing of it holds the event loop.
   */
  async close(): Promise<void> {
    for (const r of this.live) r.abandon();
    this.live.clear();
    await this.pool.close();
  }

  /** One run of a scenario under a profile. Never rejects for a Nix failure: findings are data. */
  run(scenario: ScenarioRun, profile: Profile, seed: number): Promise<RunResult> {
    const run = new Run(this.pool, scenario, profile, seed, this.opts);
    this.live.add(run);
    return run.start().finally(() => this.live.delete(run));
  }
}

class Run {
  private readonly store: Store;
  private readonly coord: Coordinator<Slot>;
  private readonly threads = new Set<number>();
  private maxBusy = 0;
  private readonly runStart = performance.timeOrigin + performance.now();
  private readonly token = mintRunId();
  /** The release each actor runs (mixed versions: actors/versions.ts). */
  private readonly switchesOf = new WeakMap<Entry, Switches>();
  private finish!: (r: RunResult) => void;
  /** Every coordinator call into the store goes through here: this thread never blocks (storeGate.ts). */
  private readonly gate: StoreGate;
  /** performance.now() of the last thing the coordinator saw happen (the watchdog's progress). */
  private lastChange = performance.now();
  private watchdog: Watchdog<Entry> | null = null;
  /** The crash plan's shared state (actors/crashes.ts): every host thread of the run maps it. */
  private readonly crashState: SharedArrayBuffer;
  /** Actors that stopped themselves at an injected SIGKILL and wait for their process's death to be recorded. */
  private readonly stopped = new Set<Entry>();
  /** Why a process being killed dies, when an injected kill of one of its threads is the cause. */
  private readonly killedBy = new Map<Entry, SerializedError>();
  /** Processes whose threads are being stopped before their end is recorded (ended()). */
  private readonly exiting = new Set<Entry>();

  constructor(
    private readonly pool: HostPool,
    private readonly scenario: ScenarioRun,
    private readonly profile: Profile,
    private readonly seed: number,
    private readonly opts: ThreadsRuntimeOptions,
  ) {
    this.store = createStoreFor(scenario);
    this.coord = new Coordinator(this.store, scenario, () => Math.round((performance.timeOrigin + performance.now() - this.runStart) * 1000));
    this.gate = new StoreGate(this.store.sab);
    this.crashState = new SharedArrayBuffer(CrashPlan.bytesFor(scenario.crash));
  }

  start(): Promise<RunResult> {
    const done = new Promise<RunResult>((r) => (this.finish = r));
    const quietMs = this.opts.timeoutMs ?? DEFAULT_QUIET_MS;
    const watchdog = new Watchdog<Entry>(quietMs, {
      lastChange: () => this.lastChange,
      probe: () => probeActors(this.coord.actors.filter((a) => !a.ended), Math.min(1000, quietMs)),
      fire: (states, quietFor) => this.deadlock(states, quietFor),
    });
    this.watchdog = watchdog;
    void done.then(() => watchdog.stop());
    // The run header: the first event of the stream, so a recording names what it is a run of.
    const disk = this.store.disk;
    this.coord.emit(0, 'coordinator', { type: 'inspect.run.start', scenario: this.scenario.name, profile: this.profile.name, seed: this.seed, free: disk.freeSpace(), used: disk.usedBytes() });
    for (const spec of this.scenario.processes) {
      if (spec.spawned) continue; // started by a spawn step
      this.startActor({ role: spec.kind === 'evaluator' ? 'evaluator' : 'gc', name: spec.name, spec });
    }
    return done;
  }

  /** Stops watching an abandoned run (ThreadsRuntime.close terminates its threads). */
  abandon(): void {
    this.watchdog?.stop();
    this.gate.drop();
  }

  private startActor(o: { role: ActorRole; name: string; spec?: StartMessage['spec']; daemonPort?: MessagePort; parent?: Entry; pid?: Pid; gc?: StartMessage['gc']; iterations?: readonly number[] }): Entry {
    const host = this.pool.acquire();
    const slot: Slot = { thread: host, actor: ++actorCounter };
    const rec = this.coord.register({ role: o.role, name: o.name, host: slot, ...(o.parent ? { parent: o.parent } : {}), ...(o.pid !== undefined ? { pid: o.pid } : {}) });
    const switches = switchesFor(o.role, this.profile, o.spec, o.parent && this.switchesOf.get(o.parent));
    this.switchesOf.set(rec, switches);
    this.threads.add(host.threadId);
    this.pool.attach(host, slot.actor, {
      onControl: (m) => this.onControl(rec, m),
      onDeath: (threadDied) => {
        // A thread terminated inside a store mutex still owns it: free it before anyone waits for it (recovery.ts).
        if (threadDied) recoverStoreMutexes(this.store.sab, ownerOfThread(host.threadId));
        const why = this.killedBy.get(rec);
        this.ended(rec, why ? exitCauseOf('error', why) : 'terminated', undefined, why ?? { code: 'rootrace.terminated', name: 'Terminated', message: 'killed' });
      },
    });
    this.maxBusy = Math.max(this.maxBusy, this.pool.busyThreads());
    const key = scenarioKey(this.scenario);
    const msg: StartMessage = {
      runToken: this.token,
      sab: this.store.sab,
      crashState: this.crashState,
      scenarioKey: key,
      ...(keepScenario(host.scenarios, key, true) ? { scenario: this.scenario } : {}),
      switches,
      settings: this.scenario.settings,
      seed: deriveSeed(this.seed, o.name),
      runStart: this.runStart,
      jitterUs: this.opts.jitterUs ?? 0,
      timeScale: this.opts.timeScale ?? 0,
      pid: rec.pid,
      actor: slot.actor,
      owner: this.coord.ownerOf(rec),
      role: o.role,
      name: o.name,
      ...(o.spec ? { spec: o.spec } : {}),
      ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
      ...(o.daemonPort ? { daemonPort: o.daemonPort } : {}),
      ...(o.gc ? { gc: o.gc } : {}),
      ...(o.parent ? { parent: o.parent.pid } : {}),
    };
    const call = o.daemonPort ? host.api.start(Comlink.transfer(msg, [o.daemonPort] as never)) : host.api.start(msg);
    // A call whose thread dies never settles: the death itself is handled by onDeath. A start the thread refuses
    // (a rootrace bug) ends the actor with that error rather than leaving it 'starting' for ever.
    void Promise.race([call, host.exited]).catch((e: unknown) => this.ended(rec, 'error', undefined, serializeError(e)));
    return rec;
  }

  private reply(rec: Entry, req: number, ok: boolean, extra: { value?: unknown; port?: MessagePort; errno?: 'ENOENT' | 'ECONNREFUSED' } = {}): void {
    if (rec.ended) {
      extra.port?.close();
      return;
    }
    const msg = ok ? { type: 'ctl.reply', req, ok: true, ...(extra.value !== undefined ? { value: extra.value } : {}), ...(extra.port ? { port: extra.port } : {}) } : { type: 'ctl.reply', req, ok: false, errno: extra.errno ?? 'ECONNREFUSED' };
    rec.host.thread.ctl.postMessage({ ...msg, actor: rec.host.actor }, extra.port ? [extra.port] : []);
  }

  private onControl(rec: Entry, m: HostToCoordinator): void {
    this.lastChange = performance.now();
    switch (m.type) {
      case 'ctl.events':
        this.coord.events.push(...m.events);
        return;
      case 'ctl.connect': {
        if (m.address.kind === 'daemon') {
          // The daemon forks a worker per connection, with a fresh store and pid.
          const { port1, port2 } = new MessageChannel();
          const w = this.startActor({ role: 'daemonWorker', name: `W(${rec.name})`, daemonPort: port1, parent: rec });
          this.coord.emit(rec.pid, rec.name, { type: 'inspect.connection.open', kind: 'daemon', peer: w.pid });
          this.reply(rec, m.req, true, { port: port2 });
          return;
        }
        const target = this.coord.gcSocketConnect();
        if (typeof target === 'string') {
          this.reply(rec, m.req, false, { errno: target });
          return;
        }
        const { port1, port2 } = new MessageChannel();
        target.entry.host.thread.ctl.postMessage({ type: 'ctl.accept', listener: target.id, port: port1, actor: target.entry.host.actor }, [port1]);
        this.reply(rec, m.req, true, { port: port2 });
        return;
      }
      case 'ctl.listen':
        this.coord.listen(rec, m.listener);
        return;
      case 'ctl.unlisten':
        this.coord.unlisten(rec, m.listener);
        return;
      case 'ctl.runGcThread': {
        // The auto-GC thread belongs to the calling process: same pid, its own thread.
        const t = this.startActor({ role: 'autoGcThread', name: `gc-thread(${rec.name})`, pid: rec.pid, parent: rec, gc: { maxFreed: m.maxFreed, run: this.coord.nextGcRunName(rec.name), stateLock: m.stateLock } });
        t.onEnd.push((_cause, value) => this.reply(rec, m.req, true, { value: value ?? { deleted: 0, bytesFreed: 0 } }));
        return;
      }
      case 'ctl.awaitExit':
        this.coord.awaitExit(m.process, () => this.reply(rec, m.req, true), rec);
        return;
      case 'ctl.barrier':
        this.coord.barrier(m.name, () => this.reply(rec, m.req, true), rec);
        return;
      case 'ctl.spawn': {
        // fork/exec: a new process with its own pid (and, when it connects, its own daemon worker).
        const spec = this.scenario.processes.find((p) => p.name === m.process && p.spawned);
        if (!spec) {
          this.reply(rec, m.req, true, { value: false });
          return;
        }
        const child = this.startActor({ role: spec.kind === 'evaluator' ? 'evaluator' : 'gc', name: spec.name, spec, iterations: m.iterations });
        child.onEnd.push((cause) => this.reply(rec, m.req, true, { value: cause === 'normal' }));
        return;
      }
      case 'ctl.killDaemonWorker': {
        const victims = rec.workers.filter((w) => !w.ended);
        void Promise.all(victims.map((w) => this.pool.kill(w.host.thread, w.host.actor))).then(() => this.reply(rec, m.req, true));
        return;
      }
      case 'ctl.done': {
        const proc = rec.role === 'autoGcThread' ? rec.parent : undefined;
        if (isInjectedDeath(m.error) && proc && !proc.ended) {
          // SIGKILL (or abort) of a GC thread is its process's death: this thread has stopped; the owner must stop too
          // before the kernel's cleanup (its pid's flocks) runs, and the thread ends with it (ended: orphans).
          this.stopped.add(rec);
          this.killedBy.set(proc, m.error!);
          void this.pool.kill(proc.host.thread, proc.host.actor);
          return;
        }
        this.ended(rec, exitCauseOf(m.cause, m.error), m.value, m.error);
        return;
      }
    }
  }

  private ended(rec: Entry, cause: ExitCause, value: unknown, error?: SerializedError): void {
    this.lastChange = performance.now();
    if (rec.ended || this.exiting.has(rec)) return;
    // exit() or a kill ends every thread of the process before the kernel closes its fds (do_exit: exit_signals
    // stops the thread group, then exit_files), so a GC thread of it never acts after its pid's flocks are gone.
    // Here a GC thread still starting, or between two turns, could otherwise open gc.lock as the dead pid after
    // the cleanup below, and hold it for ever: every later addTempRoot then retries ECONNREFUSED (gc.cc:117-135
    // @2.8.0) with no GC left to answer. So its threads are stopped first, and the bookkeeping follows.
    const threads = rec.role === 'autoGcThread' ? [] : rec.gcThreads.filter((t) => !t.ended && !this.stopped.has(t));
    if (threads.length > 0) {
      this.exiting.add(rec);
      void Promise.all(threads.map((t) => this.pool.kill(t.host.thread, t.host.actor))).then(() => {
        this.exiting.delete(rec);
        this.lastChange = performance.now();
        this.gate.run(() => this.endedHeld(rec, cause, value, error));
      });
      return;
    }
    // The bookkeeping reads temproots/ and closes the pid's descriptions: store mutexes, taken through the gate.
    this.gate.run(() => this.endedHeld(rec, cause, value, error));
  }

  /** ended(), holding the store gate. */
  private endedHeld(rec: Entry, cause: ExitCause, value: unknown, error?: SerializedError): void {
    if (rec.ended) return;
    const { orphans, complete } = this.coord.ended(rec, cause, value, error);
    this.pool.release(rec.host.thread, rec.host.actor);
    // Process death: its GC threads die with it (one that stopped itself at an injected kill already has).
    for (const t of orphans) {
      if (this.stopped.delete(t)) this.endedHeld(t, 'terminated', undefined, { code: 'rootrace.terminated', name: 'Terminated', message: 'killed' });
      else void this.pool.kill(t.host.thread, t.host.actor);
    }
    if (complete) this.complete();
  }

  /** The watchdog found every live actor stuck: report what each waits for and holds, then end them all. */
  private deadlock(states: ReadonlyMap<Entry, ActorWaitState>, quietForMs: number): void {
    if (this.coord.isFinished) return;
    const threadNames = (owner: number): string => {
      const on = this.coord.actors.filter((a) => !a.ended && ownerOfThread(a.host.thread.threadId) === owner).map((a) => a.name);
      return on.length > 0 ? `the thread of ${on.join(', ')}` : owner === ownerOfThread(threadId) ? 'the coordinator' : `thread owner ${owner}`;
    };
    // Store mutexes held now (snapshot): a thread stuck inside one never answers the probe.
    const notes = storeMutexHolders(this.store.sab).map((m) => `the store's ${m.mutex} mutex is held by ${threadNames(m.owner)}`);
    if (this.gate.waiting > 0) notes.push(`the coordinator waits for a store mutex (${this.gate.waiting} bookkeeping jobs queued)`);
    // No store mutex is needed for the report (flock holders and file names are lock-free reads).
    this.coord.deadlock(`no progress for ${Math.round(quietForMs)} ms and every live actor is blocked`, states, notes);
    // A thread that gives no answer is blocked synchronously and would not serve a kill: only terminating it ends its actors.
    for (const [a, s] of states) if (s.state === 'unresponsive') void a.host.thread.worker.terminate();
    for (const a of this.coord.actors) if (!a.ended) void this.pool.kill(a.host.thread, a.host.actor);
  }

  private complete(): void {
    if (this.coord.isFinished) return;
    this.watchdog?.stop();
    const wall = performance.timeOrigin + performance.now() - this.runStart;
    const r = this.coord.result(this.profile.name, this.seed, { distinct: this.threads.size, maxConcurrent: this.maxBusy }, wall);
    const scale = this.opts.timeScale ?? 0;
    const timed = scale > 0 ? { ...r, modelMs: wall / scale } : r;
    this.finish(this.opts.record ? { ...timed, recorded: this.coord.events } : timed);
  }
}
