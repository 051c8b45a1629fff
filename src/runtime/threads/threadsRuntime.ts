/**
 * The threads runtime: every process actor runs in a worker thread; the
 * coordinator on the main thread brokers daemon connections (a fresh worker
 * process per connection), the roots socket, GC threads, barriers and exits,
 * and turns the collected events into a RunResult.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { HostToCoordinator } from '../../messages/control.js';
import type { SerializedError } from '../../messages/errors.js';
import type { ActorRole, ExitCause, InspectBody, InspectEvent } from '../../messages/inspect.js';
import type { Pid } from '../../messages/ids.js';
import type { Profile } from '../../messages/profile.js';
import type { RunResult } from '../../messages/result.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { Store } from '../../store/index.js';
import { Coordinator } from '../../actors/coordinator.js';
import { classifyError, findingsFrom, pathOfMessage } from '../../actors/findings.js';
import { createStoreFor } from '../../actors/setup.js';
import type { StartMessage } from '../entries/host.worker.js';
import { deriveSeed } from '../random.js';
import { Comlink } from './comlink.js';
import { HostPool, type Host } from './hostPool.js';

export interface ThreadsRuntimeOptions {
  /** Seeded delay bound at each ctx.step, µs (0: just yield a macrotask). */
  readonly jitterUs?: number;
  /** Watchdog: a run that has not ended by then is reported as a deadlock. */
  readonly timeoutMs?: number;
}

interface ActorRec {
  readonly pid: Pid;
  readonly name: string;
  readonly role: ActorRole;
  readonly host: Host;
  readonly parent?: ActorRec;
  readonly workers: ActorRec[];
  readonly gcThreads: ActorRec[];
  ended: boolean;
  onEnd: ((cause: ExitCause, value: unknown) => void)[];
}

let runCounter = 0;

export class ThreadsRuntime {
  private readonly pool = new HostPool();
  constructor(private readonly opts: ThreadsRuntimeOptions = {}) {}

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** One run of a scenario under a profile. Never rejects for a Nix failure: findings are data. */
  run(scenario: ScenarioRun, profile: Profile, seed: number): Promise<RunResult> {
    return new Run(this.pool, scenario, profile, seed, this.opts).start();
  }
}

class Run {
  private readonly store: Store;
  private readonly coord: Coordinator;
  private readonly events: InspectEvent[] = [];
  private readonly actors: ActorRec[] = [];
  private readonly byName = new Map<string, ActorRec>();
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private readonly barriers = new Map<string, (() => void)[]>();
  private readonly listeners = new Map<string, { rec: ActorRec; id: number }>();
  private readonly threads = new Set<number>();
  private busy = 0;
  private maxBusy = 0;
  private live = 0;
  private readonly runStart = performance.timeOrigin + performance.now();
  private readonly token = `r${++runCounter}-${process.pid}`;
  private finish!: (r: RunResult) => void;
  private finished = false;
  private gcRuns = 0;

  constructor(
    private readonly pool: HostPool,
    private readonly scenario: ScenarioRun,
    private readonly profile: Profile,
    private readonly seed: number,
    private readonly opts: ThreadsRuntimeOptions,
  ) {
    this.store = createStoreFor(scenario);
    this.coord = new Coordinator(this.store);
  }

  start(): Promise<RunResult> {
    const done = new Promise<RunResult>((r) => (this.finish = r));
    const watchdog = setTimeout(() => this.deadlock(), this.opts.timeoutMs ?? 30_000);
    void done.then(() => clearTimeout(watchdog));
    for (const spec of this.scenario.processes) {
      this.startActor({ role: spec.kind === 'evaluator' ? 'evaluator' : 'gc', name: spec.name, spec });
    }
    return done;
  }

  private emit(pid: number, actor: string, body: InspectBody): void {
    this.events.push({ ...body, seq: this.store.nextSeq(), t: Math.round((performance.timeOrigin + performance.now() - this.runStart) * 1000), thread: 0, pid, actor } as InspectEvent);
  }

  private startActor(o: { role: ActorRole; name: string; spec?: StartMessage['spec']; daemonPort?: MessagePort; parent?: ActorRec; pid?: Pid; gc?: StartMessage['gc'] }): ActorRec {
    const host = this.pool.acquire();
    const pid = o.pid ?? this.coord.allocatePid();
    const rec: ActorRec = { pid, name: o.name, role: o.role, host, ...(o.parent ? { parent: o.parent } : {}), workers: [], gcThreads: [], ended: false, onEnd: [] };
    this.actors.push(rec);
    if (o.role !== 'daemonWorker' && o.role !== 'autoGcThread') this.byName.set(o.name, rec);
    this.live++;
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    this.threads.add(host.threadId);
    host.onControl = (m) => this.onControl(rec, m);
    host.onDeath = () => this.ended(rec, 'terminated', undefined, { code: 'rootrace.terminated', name: 'Terminated', message: 'thread terminated' });
    const msg: StartMessage = {
      runToken: this.token,
      sab: this.store.sab,
      scenario: this.scenario,
      switches: this.profile.switches,
      settings: this.scenario.settings,
      seed: deriveSeed(this.seed, o.name),
      runStart: this.runStart,
      jitterUs: this.opts.jitterUs ?? 0,
      pid,
      role: o.role,
      name: o.name,
      ...(o.spec ? { spec: o.spec } : {}),
      ...(o.daemonPort ? { daemonPort: o.daemonPort } : {}),
      ...(o.gc ? { gc: o.gc } : {}),
      ...(o.parent ? { parent: o.parent.pid } : {}),
    };
    const call = o.daemonPort ? host.api.start(Comlink.transfer(msg, [o.daemonPort] as never)) : host.api.start(msg);
    // A call whose thread dies never settles: the death itself is handled by onDeath.
    void Promise.race([call, host.exited]).catch(() => undefined);
    return rec;
  }

  private reply(rec: ActorRec, req: number, ok: boolean, extra: { value?: unknown; port?: MessagePort; errno?: 'ENOENT' | 'ECONNREFUSED' } = {}): void {
    if (rec.ended) return;
    const msg = ok ? { type: 'ctl.reply', req, ok: true, ...(extra.value !== undefined ? { value: extra.value } : {}), ...(extra.port ? { port: extra.port } : {}) } : { type: 'ctl.reply', req, ok: false, errno: extra.errno ?? 'ECONNREFUSED' };
    rec.host.ctl.postMessage(msg, extra.port ? [extra.port] : []);
  }

  private onControl(rec: ActorRec, m: HostToCoordinator): void {
    switch (m.type) {
      case 'ctl.events':
        this.events.push(...m.events);
        return;
      case 'ctl.connect': {
        if (m.address.kind === 'daemon') {
          // The daemon forks a worker per connection, with a fresh store and pid.
          const { port1, port2 } = new MessageChannel();
          const w = this.startActor({ role: 'daemonWorker', name: `W(${rec.name})`, daemonPort: port1, parent: rec });
          rec.workers.push(w);
          this.emit(rec.pid, rec.name, { type: 'inspect.connection.open', kind: 'daemon', peer: w.pid });
          this.reply(rec, m.req, true, { port: port2 });
          return;
        }
        const result = this.coord.gcSocketConnect();
        const target = [...this.listeners.values()].at(-1);
        if (result !== 'ok' || !target) {
          this.reply(rec, m.req, false, { errno: result === 'ok' ? 'ECONNREFUSED' : result });
          return;
        }
        const { port1, port2 } = new MessageChannel();
        target.rec.host.ctl.postMessage({ type: 'ctl.accept', listener: target.id, port: port1 }, [port1]);
        this.reply(rec, m.req, true, { port: port2 });
        return;
      }
      case 'ctl.listen':
        this.listeners.set(`${rec.host.threadId}:${m.listener}`, { rec, id: m.listener });
        this.coord.listenerAdded();
        return;
      case 'ctl.unlisten':
        if (this.listeners.delete(`${rec.host.threadId}:${m.listener}`)) this.coord.listenerRemoved();
        return;
      case 'ctl.runGcThread': {
        // The auto-GC thread belongs to the calling process: same pid, its own thread.
        const t = this.startActor({ role: 'autoGcThread', name: `gc-thread(${rec.name})`, pid: rec.pid, parent: rec, gc: { maxFreed: m.maxFreed, run: `auto-gc@${rec.name}#${++this.gcRuns}` } });
        rec.gcThreads.push(t);
        t.onEnd.push((_cause, value) => this.reply(rec, m.req, true, { value: value ?? { deleted: 0, bytesFreed: 0 } }));
        return;
      }
      case 'ctl.awaitExit': {
        const target = this.byName.get(m.process);
        const check = (): void => {
          const t = this.byName.get(m.process);
          if (t && t.ended && t.workers.every((w) => w.ended)) this.reply(rec, m.req, true);
          else (this.exitWaiters.get(m.process) ?? this.exitWaiters.set(m.process, []).get(m.process)!).push(check);
        };
        if (!target && !this.scenario.processes.some((p) => p.name === m.process)) this.reply(rec, m.req, true);
        else check();
        return;
      }
      case 'ctl.barrier': {
        const parties = this.scenario.processes.filter((p) => p.steps.some((s) => s.op === 'barrier' && s.name === m.name)).length;
        const waiting = this.barriers.get(m.name) ?? [];
        waiting.push(() => this.reply(rec, m.req, true));
        this.barriers.set(m.name, waiting);
        if (waiting.length >= parties) {
          this.barriers.delete(m.name);
          for (const w of waiting) w();
        }
        return;
      }
      case 'ctl.killDaemonWorker': {
        const victims = rec.workers.filter((w) => !w.ended);
        void Promise.all(victims.map((w) => this.pool.kill(w.host))).then(() => this.reply(rec, m.req, true));
        return;
      }
      case 'ctl.done':
        this.ended(rec, m.cause, m.value, m.error);
        return;
    }
  }

  private ended(rec: ActorRec, cause: ExitCause, value: unknown, error?: SerializedError): void {
    if (rec.ended) return;
    rec.ended = true;
    this.busy--;
    for (const [k, l] of this.listeners) {
      if (l.rec === rec) {
        this.listeners.delete(k);
        this.coord.listenerRemoved();
      }
    }
    if (rec.role !== 'autoGcThread') {
      // Process death: its GC threads die with it, then the kernel drops its locks.
      for (const t of rec.gcThreads) if (!t.ended) void this.pool.kill(t.host);
      const exit = this.coord.processEnded(rec.pid);
      this.emit(rec.pid, rec.name, { type: 'inspect.process.exit', cause, heldLocks: exit.heldLocks, roots: exit.roots, ...(error ? { error: error.message } : {}) });
      if (cause === 'error' && error && (rec.role === 'evaluator' || rec.role === 'gc')) {
        this.emit(rec.pid, rec.name, { type: 'inspect.finding', kind: classifyError(error.code, error.message), message: error.message, path: pathOfMessage(error.message) });
      }
    }
    for (const f of rec.onEnd) f(cause, value);
    if (!rec.host.dead) this.pool.release(rec.host);
    const waiters = this.exitWaiters.get(rec.parent?.name ?? rec.name);
    if (waiters) {
      this.exitWaiters.delete(rec.parent?.name ?? rec.name);
      for (const w of waiters) w();
    }
    this.live--;
    if (this.live === 0) this.complete();
  }

  private deadlock(): void {
    if (this.finished) return;
    const holders = this.store.flock.holders().map((h) => `pid ${h.owner} holds ${h.file === this.store.gcLockFile ? 'gc.lock' : `temproots/${this.store.tempRoots.nameOf(h.file)}`} (${h.mode})`);
    const stuck = this.actors.filter((a) => !a.ended).map((a) => `${a.name} (pid ${a.pid})`);
    this.emit(0, 'watchdog', { type: 'inspect.finding', kind: 'deadlock', path: '', message: `no progress: still running ${stuck.join(', ')}; ${holders.join('; ') || 'no locks held'}` });
    for (const a of this.actors) if (!a.ended) void this.pool.kill(a.host);
  }

  private complete(): void {
    if (this.finished) return;
    this.finished = true;
    const v = this.store.findClosureViolation();
    if (v) this.emit(0, 'checker', { type: 'inspect.finding', kind: 'closure', path: v.reference, message: `closure violated: valid '${v.path}' references invalid '${v.reference}'` });
    this.events.sort((a, b) => a.seq - b.seq);
    this.finish({
      scenario: this.scenario.name,
      profile: this.profile.name,
      seed: this.seed,
      findings: findingsFrom(this.events),
      processes: this.actors.filter((a) => a.role !== 'autoGcThread').length,
      threads: { distinct: this.threads.size, maxConcurrent: this.maxBusy },
      storeOps: this.events.filter((e) => e.type === 'inspect.op').length,
      wallMs: performance.timeOrigin + performance.now() - this.runStart,
      events: this.events.length,
    });
  }

  /** The recorded stream, in global order (for reports). */
  get recorded(): readonly InspectEvent[] {
    return this.events;
  }
}
