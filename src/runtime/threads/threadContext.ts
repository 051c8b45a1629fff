/**
 * ActorContext inside a host worker thread. Requests that involve other
 * processes (connect, listen, GC threads, barriers) go to the coordinator over
 * the control port; locks sleep with Atomics.waitAsync so the thread's event
 * loop keeps serving its ports.
 *
 * Events are batched until the actor communicates (#14 item 2): they go to the
 * coordinator before any message leaves on a connection, before every wait on
 * another actor (a message, an accept, a lock, a coordinator request: track),
 * before a sleep, at a crash, when the actor ends, and when it is killed (the
 * kill is served between two of its turns: hostPool.ts). A step alone does not
 * flush: the events are data for the end of the run (sorted by their seq
 * there), and no decision of the run reads them, so holding them changes no
 * behaviour. What can be lost is what a thread that never answers a kill (one
 * blocked synchronously, terminated after the grace period) emitted since its
 * last wait; the per-step flush lost that thread's current turn as well.
 */
import { threadId, type MessagePort } from 'node:worker_threads';
import { ConnectFailed, type Address } from '../../messages/addresses.js';
import type { Addressed, CoordinatorToHost, HostToCoordinator } from '../../messages/control.js';
import type { InspectBody, InspectEvent } from '../../messages/inspect.js';
import type { OfdId } from '../../messages/ids.js';
import { ActorIdentityBase, type ActorContext, type ActorIdentity, type Connection, type GcThreadRequest, type GcThreadResult, type Listener } from '../../actors/context.js';
import type { FlockMode } from '../../store/index.js';
import type { ConnectionEnd, WaitFor } from '../../actors/deadlockReport.js';
import { PortConnection } from './portConnection.js';
import { delayUs } from './delay.js';
import { mulberry32 } from '../random.js';
import { StepHooks } from '../../actors/hooks.js';
import { CrashPlan, Interrupted, abortedBy, killedBy, processOfActor, type ActorCrashes, type Fate } from '../../actors/crashes.js';
import type { SerializedError } from '../../messages/errors.js';

export interface ThreadContextInit extends ActorIdentity {
  readonly seed: number;
  /** Absolute ms (performance.timeOrigin + now) when the run started. */
  readonly runStart: number;
  /** Upper bound of the seeded delay injected at ctx.step, in µs (0: none). */
  readonly jitterUs: number;
  /** Real ms slept per model ms of cost (0: costs take no real time). */
  readonly timeScale?: number;
  /** The scenario process this actor belongs to (for step hooks). */
  readonly owner: string;
  /** This actor's key on the control port (a host thread may run several actors). */
  readonly actor: number;
  /** The run's injected deaths (its state shared by every thread of the run); absent: none. */
  readonly crashes?: CrashPlan;
  /** An injected SIGKILL stopped this actor at a step: its host reports the death (the body never settles). */
  readonly onKilled?: (error: SerializedError) => void;
}

/** What an actor's fibers wait for now (the watchdog's probe, answered by its thread). */
export interface ActorThreadState {
  /** Waits that have ended so far: unchanged between two probes means the actor did not move. */
  readonly progress: number;
  /** Some fiber is in a step or a sleep: it goes on by itself. */
  readonly runnable: boolean;
  readonly waits: readonly WaitFor[];
  /** Open file descriptions this actor locked through ctx.lock and still holds. */
  readonly holds: readonly number[];
}

/** A pending wait: `null` for a step or a sleep (runnable). */
interface Pending {
  readonly w: WaitFor | null;
}

let nextListener = 1;
const NO_CRASHES = new CrashPlan(undefined, new Int32Array(2));

export class ThreadContext extends ActorIdentityBase implements ActorContext {
  private readonly rand: () => number;
  private readonly runStart: number;
  private readonly jitterUs: number;
  private readonly timeScale: number;
  private readonly hooks: StepHooks;
  private readonly crashes: ActorCrashes;
  private readonly onKilled: (error: SerializedError) => void;
  private buffer: InspectEvent[] = [];
  private nextReq = 1;
  private readonly pending = new Map<number, (m: CoordinatorToHost) => void>();
  private readonly listeners = new Map<number, (port: MessagePort) => void>();
  private readonly waiting = new Set<Pending>();
  private progress = 0;
  private readonly locked = new Set<OfdId>();

  constructor(init: ThreadContextInit, private readonly ctl: MessagePort) {
    super(init);
    this.rand = mulberry32(init.seed ^ Math.imul(init.pid, 0x9e3779b1));
    this.runStart = init.runStart;
    this.jitterUs = init.jitterUs;
    this.timeScale = init.timeScale ?? 0;
    this.actorKey = init.actor;
    this.hooks = new StepHooks(init.scenario, init.owner);
    this.crashes = (init.crashes ?? NO_CRASHES).forActor(init.name, init.pid);
    this.onKilled = init.onKilled ?? (() => undefined);
  }

  /** Routes a coordinator message to the request or listener waiting for it. */
  onControl(m: CoordinatorToHost): void {
    if (m.type === 'ctl.accept') {
      const l = this.listeners.get(m.listener);
      // A connect that raced with the listener's close: refuse it, so the client restarts.
      if (l) l(m.port as MessagePort);
      else (m.port as MessagePort).close();
    }
    else {
      const r = this.pending.get(m.req);
      this.pending.delete(m.req);
      r?.(m);
    }
  }

  private request(w: WaitFor, body: (req: number) => HostToCoordinator): Promise<CoordinatorToHost> {
    if (this.dead) return never();
    this.flush();
    const req = this.nextReq++;
    return this.track(
      w,
      new Promise((resolve) => {
        this.pending.set(req, resolve);
        this.post(body(req));
      }),
    );
  }

  /** Registers what a fiber waits for until `p` settles (null: a step or a sleep, which go on by themselves). */
  readonly track = <T>(w: WaitFor | null, p: Promise<T>): Promise<T> => {
    // A wait on another actor: what this actor did so far goes out first (a step or a sleep is no such wait).
    if (w !== null) this.flush();
    const pending: Pending = { w };
    this.waiting.add(pending);
    return p.finally(() => {
      this.waiting.delete(pending);
      this.progress++;
    });
  };

  /** The watchdog's probe. Runs as its own macrotask, so no fiber of this actor is half-way through a turn. */
  waitState(): ActorThreadState {
    const waits: WaitFor[] = [];
    let runnable = false;
    for (const p of this.waiting) {
      if (p.w === null) runnable = true;
      else waits.push(p.w);
    }
    const { flock } = this.store;
    for (const ofd of this.locked) if (!flock.isOpen(ofd) || flock.ownerOf(ofd) !== this.pid || flock.heldMode(ofd) === null) this.locked.delete(ofd);
    return { progress: this.progress, runnable, waits, holds: [...this.locked] };
  }

  /** A connection of this actor over `port` (adopted: killing the actor closes it). */
  connection<In, Out>(port: MessagePort, end: ConnectionEnd): PortConnection<In, Out> {
    return this.adopt(new PortConnection<In, Out>(port, { beforeSend: this.flushHook, end, track: this.track }));
  }

  private readonly actorKey: number;
  private dead = false;
  /** Connections this actor holds: closed when it is killed, as the kernel closes a dead process's sockets. */
  private readonly conns = new Set<{ close(): void; sever?: () => void }>();

  /** Posts a control message addressed to this actor. A killed actor says nothing more. */
  private post(m: HostToCoordinator): void {
    if (!this.dead) this.ctl.postMessage({ ...m, actor: this.actorKey } satisfies Addressed<HostToCoordinator>);
  }

  /** A connection made for this actor (tracked so that kill() can close it). */
  adopt<C extends { close(): void; sever?: () => void }>(c: C): C {
    this.conns.add(c);
    return c;
  }

  /**
   * kill -9 of this actor while its thread lives on (other actors share it): it
   * never resumes — every pending and future context call stays unresolved, so
   * no `finally` of it runs — and its connections close.
   */
  kill(): void {
    // What it did before the kill happened: its events go out (a kill lands between two turns).
    this.flush();
    this.dead = true;
    for (const c of this.conns) (c.sever ?? c.close).call(c);
    this.conns.clear();
  }

  /** The process ended (returned, threw, aborted): the kernel closes its sockets, so peers see EOF. */
  closeConnections(): void {
    for (const c of this.conns) c.close();
    this.conns.clear();
  }

  /** Given to this actor's connections: events flush before any message leaves, so what another actor can observe never outlives its cause. */
  readonly flushHook = (): void => this.flush();

  flush(): void {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    this.post({ type: 'ctl.events', events });
  }

  emit(body: InspectBody): void {
    if (this.dead) return;
    this.buffer.push({ ...body, seq: this.store.nextSeq(), t: this.micros(), thread: threadId, pid: this.pid, actor: this.name });
  }

  private micros(): number {
    return Math.round((performance.timeOrigin + performance.now() - this.runStart) * 1000);
  }

  async step(label: string): Promise<void> {
    if (this.dead) return never();
    for (const b of this.hooks.barriersAt(label)) await this.barrier(b);
    // After the hooks: a crash point at a hooked label lands once the forced interleaving has happened.
    const fate = this.crashes.active ? this.crashes.arrive(label) : null;
    if (fate) await this.die(fate, label);
    // A macrotask turn: lets this thread's port handlers (the roots server) run between Nix's steps.
    // The seeded delay is in µs, kept sub-millisecond when asked (delay.ts).
    if (this.jitterUs > 0 && this.rand() < 0.5) await this.track(null, delayUs(Math.floor(this.rand() * this.jitterUs)));
    else await this.track(null, new Promise((r) => setImmediate(r)));
    // Killed meanwhile: it must not take another store step (HostPool.kill stops it between turns).
    if (this.dead) return never();
  }

  /**
   * Performs a death the crash plan decided here. SIGKILL (or the abort of
   * #15962) at this actor: it stops as a killed actor does (connections
   * severed, never resumed) and its host reports it; the coordinator then ends
   * its process (for a GC thread, the owner too), where the kernel's cleanup
   * runs. SIGKILL sent through another thread of this process: stop, and let
   * the coordinator's kill end this actor. SIGTERM: throw Interrupted.
   * Resolves only to go on.
   */
  private async die(fate: Fate, label: string): Promise<void> {
    if (fate.crash) {
      const { point, occurrence } = fate.crash;
      this.emit({ type: 'inspect.crash', signal: point.signal, label, occurrence, process: processOfActor(this.name) });
    }
    switch (fate.action) {
      case 'continue':
        return;
      case 'interrupt':
        throw new Interrupted();
      case 'stop':
        return never();
      case 'die':
      case 'abort':
        this.flush();
        this.kill();
        this.onKilled(fate.action === 'abort' ? abortedBy(label) : killedBy(label));
        return never();
    }
  }

  async lock(ofd: OfdId, mode: FlockMode, what: string): Promise<void> {
    if (this.dead) return never();
    const { flock } = this.store;
    if (flock.tryLock(ofd, mode)) {
      this.locked.add(ofd);
      return;
    }
    this.emit({ type: 'inspect.lock.wait', file: what, mode });
    this.flush();
    await this.track({ kind: 'flock', file: flock.fileOf(ofd), label: what, mode }, flock.lockAsync(ofd, mode));
    if (this.dead) {
      flock.unlock(ofd); // granted after death: the kernel would have closed the fd first
      return never();
    }
    this.locked.add(ofd);
    this.emit({ type: 'inspect.lock.grant', file: what, mode });
  }

  async sleep(ms: number): Promise<void> {
    this.flush();
    await this.track(null, new Promise((r) => setTimeout(r, ms)));
    if (this.dead) return never();
  }

  /** Real threads spend real time: model costs become sleeps only with `--time-scale` (scaled). */
  async spend(ms: number): Promise<void> {
    if (this.timeScale > 0) await this.sleep(ms * this.timeScale);
  }

  /** Model seconds: wall time, divided by --time-scale when one is set (spend sleeps ms × scale). */
  now(): number {
    return (performance.timeOrigin + performance.now() - this.runStart) / 1000 / (this.timeScale > 0 ? this.timeScale : 1);
  }

  random(): number {
    return this.rand();
  }

  async connect<In, Out>(address: Address): Promise<Connection<In, Out>> {
    const daemon = address.kind === 'daemon';
    const reply = await this.request({ kind: 'connect', to: daemon ? 'daemon' : 'roots socket' }, (req) => ({ type: 'ctl.connect', req, address }));
    if (reply.type !== 'ctl.reply') throw new Error('unexpected control message');
    if (!reply.ok) throw new ConnectFailed(reply.errno === 'EINTR' ? 'ECONNREFUSED' : reply.errno, address);
    return this.connection<In, Out>(reply.port as MessagePort, daemon ? 'daemon-client' : 'roots-client');
  }

  listen<In, Out>(_address: Address): Listener<In, Out> {
    const id = nextListener++;
    const queue: MessagePort[] = [];
    const waiting: ((c: Connection<In, Out> | null) => void)[] = [];
    let closed = false;
    this.listeners.set(id, (port) => {
      const w = waiting.shift();
      if (w) w(this.connection<In, Out>(port, 'roots-server'));
      else queue.push(port);
    });
    this.post({ type: 'ctl.listen', listener: id });
    return {
      accept: () => {
        const p = queue.shift();
        if (p) return Promise.resolve(this.connection<In, Out>(p, 'roots-server'));
        if (closed) return Promise.resolve(null);
        return this.track({ kind: 'accept' }, new Promise((r) => waiting.push(r)));
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.listeners.delete(id);
        this.post({ type: 'ctl.unlisten', listener: id });
        for (const p of queue.splice(0)) p.close(); // accepted by the kernel, never served: the client sees a reset
        for (const w of waiting.splice(0)) w(null);
      },
    };
  }

  async runGcThread(req: GcThreadRequest): Promise<GcThreadResult> {
    const reply = await this.request({ kind: 'gcThread' }, (r) => ({ type: 'ctl.runGcThread', req: r, maxFreed: req.maxFreed, stateLock: req.stateLock }));
    if (reply.type !== 'ctl.reply' || !reply.ok) throw new Error('GC thread failed');
    return reply.value as GcThreadResult;
  }

  async awaitExit(process: string): Promise<void> {
    await this.request({ kind: 'exit', process }, (req) => ({ type: 'ctl.awaitExit', req, process }));
  }

  async barrier(name: string): Promise<void> {
    await this.request({ kind: 'barrier', name }, (req) => ({ type: 'ctl.barrier', req, name }));
  }

  async killDaemonWorker(): Promise<void> {
    await this.request({ kind: 'kill' }, (req) => ({ type: 'ctl.killDaemonWorker', req }));
  }

  async spawnProcess(name: string, iterations: readonly number[]): Promise<boolean> {
    const reply = await this.request({ kind: 'exit', process: name }, (req) => ({ type: 'ctl.spawn', req, process: name, iterations }));
    return reply.type === 'ctl.reply' && reply.ok && reply.value === true;
  }
}

/** The continuation of a killed actor: it never comes. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
