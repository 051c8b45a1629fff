/**
 * The coordinator's bookkeeping, independent of how actors are hosted (threads
 * or sim): pids, the process table, barriers, waits for exits, what a
 * roots-socket connect yields, what the kernel does when a process ends (every
 * flock dropped, the temp-roots file left behind), and the run's result.
 * A runtime supplies the hosting; `H` is its handle on where an actor runs.
 */
import type { ConnectErrno } from '../messages/addresses.js';
import type { SerializedError } from '../messages/errors.js';
import { mintPid, type Pid } from '../messages/ids.js';
import type { ActorRole, ExitCause, InspectBody, InspectEvent } from '../messages/inspect.js';
import type { RunResult } from '../messages/result.js';
import type { ScenarioRun } from '../messages/scenario.js';
import type { Store } from '../store/index.js';
import { deadlockMessage, type ActorWaitState } from './deadlockReport.js';
import { classifyError, findingsFrom, pathOfMessage } from './findings.js';
import { barrierPartyProcesses } from './hooks.js';

export interface ActorEntry<H> {
  readonly pid: Pid;
  readonly name: string;
  readonly role: ActorRole;
  readonly host: H;
  readonly parent?: ActorEntry<H>;
  /** Daemon workers serving this client's connections. */
  readonly workers: ActorEntry<H>[];
  /** Auto-GC threads of this process. */
  readonly gcThreads: ActorEntry<H>[];
  ended: boolean;
  readonly onEnd: ((cause: ExitCause, value: unknown) => void)[];
}

export interface Listening<H> {
  readonly entry: ActorEntry<H>;
  readonly id: number;
}

export class Coordinator<H> {
  readonly events: InspectEvent[] = [];
  readonly actors: ActorEntry<H>[] = [];
  private nextPid = 1000;
  private readonly byName = new Map<string, ActorEntry<H>>();
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private readonly barriers = new Map<string, { readonly owner: string | null; readonly release: () => void }[]>();
  private readonly listeners = new Map<string, Listening<H>>();
  private live = 0;
  private gcRuns = 0;
  private finished = false;

  constructor(
    readonly store: Store,
    readonly scenario: ScenarioRun,
    /** Microseconds since the run started (virtual in sim). */
    private readonly micros: () => number,
  ) {}

  allocatePid(): Pid {
    return mintPid(this.nextPid++);
  }

  nextGcRunName(owner: string): string {
    return `auto-gc@${owner}#${++this.gcRuns}`;
  }

  /** The scenario process an actor belongs to (a daemon worker's or GC thread's client). */
  ownerOf(e: ActorEntry<H>): string {
    let x: ActorEntry<H> = e;
    while (x.parent) x = x.parent;
    return x.name;
  }

  /** Events the coordinator itself records (exits, connections, findings). */
  emit(pid: number, actor: string, body: InspectBody, thread = 0): void {
    // Object.assign, not spread: spreading bodies of many shapes is megamorphic (as in simContext.ts emit).
    const header = { seq: this.store.nextSeq(), t: this.micros(), thread, pid, actor };
    this.events.push(Object.assign({}, body, header));
  }

  register(o: { role: ActorRole; name: string; host: H; parent?: ActorEntry<H>; pid?: Pid }): ActorEntry<H> {
    const e: ActorEntry<H> = { pid: o.pid ?? this.allocatePid(), name: o.name, role: o.role, host: o.host, ...(o.parent ? { parent: o.parent } : {}), workers: [], gcThreads: [], ended: false, onEnd: [] };
    this.actors.push(e);
    if (o.role === 'daemonWorker') o.parent?.workers.push(e);
    if (o.role === 'autoGcThread') o.parent?.gcThreads.push(e);
    if (o.role !== 'daemonWorker' && o.role !== 'autoGcThread') this.byName.set(o.name, e);
    this.live++;
    return e;
  }

  /**
   * Calls `done` once the named process and all its daemon workers have exited.
   * A process naming itself waits only for its daemon workers (after dropConnection).
   */
  awaitExit(process: string, done: () => void, requester?: ActorEntry<H>): void {
    if (!this.scenario.processes.some((p) => p.name === process)) return done();
    const self = requester?.name === process;
    // A `spawned` process has one instance per spawn: wait for every instance started so far (a shell's `wait`).
    const check = (): void => {
      const all = this.actors.filter((a) => a.name === process && a.role !== 'daemonWorker' && a.role !== 'autoGcThread');
      if (all.length > 0 && all.every((t) => ((self && t === requester) || t.ended) && t.workers.every((w) => w.ended))) done();
      else (this.exitWaiters.get(process) ?? this.exitWaiters.set(process, []).get(process)!).push(check);
    };
    check();
  }

  /**
   * A barrier releases when every party has arrived — every process whose
   * program names it, and every hook that waits on it — or can never arrive
   * because its process has ended (a scenario's barrier is scaffolding: a
   * party that died, say on an error, must not wedge the others).
   */
  barrier(name: string, release: () => void, from?: ActorEntry<H>): void {
    const waiting = this.barriers.get(name) ?? [];
    waiting.push({ owner: from ? this.ownerOf(from) : null, release });
    this.barriers.set(name, waiting);
    this.checkBarrier(name);
  }

  private checkBarrier(name: string): void {
    const waiting = this.barriers.get(name);
    if (!waiting) return;
    const missing = barrierPartyProcesses(this.scenario, name);
    for (const w of waiting) {
      const i = w.owner === null ? 0 : missing.indexOf(w.owner);
      if (i >= 0) missing.splice(i, 1);
    }
    if (missing.every((p) => this.groupEnded(p))) {
      this.barriers.delete(name);
      for (const w of waiting) w.release();
    }
  }

  /** Whether a scenario process and every actor of it (workers, GC threads) have ended. */
  private groupEnded(process: string): boolean {
    const e = this.byName.get(process);
    return e !== undefined && e.ended && e.workers.every((w) => w.ended) && e.gcThreads.every((t) => t.ended);
  }

  listen(entry: ActorEntry<H>, id: number): void {
    this.listeners.set(`${entry.pid}:${entry.name}:${id}`, { entry, id });
  }

  unlisten(entry: ActorEntry<H>, id: number): void {
    this.listeners.delete(`${entry.pid}:${entry.name}:${id}`);
  }

  /**
   * connect() to gc-socket/socket: the bound listener accepts; otherwise the file
   * left by an earlier GC refuses (ECONNREFUSED), and no file at all is ENOENT.
   */
  gcSocketConnect(): Listening<H> | ConnectErrno {
    const target = [...this.listeners.values()].at(-1);
    if (target) return target;
    return this.store.gcSocketExists() ? 'ECONNREFUSED' : 'ENOENT';
  }

  /**
   * An actor ended. For a process: record what its temp-roots file held, release
   * every lock it owned (as the kernel closes its fds), and turn a client's
   * failure into a finding. Returns the GC threads that must die with it, and
   * whether the run is complete.
   */
  ended(e: ActorEntry<H>, cause: ExitCause, value: unknown, error?: SerializedError): { orphans: ActorEntry<H>[]; complete: boolean } {
    if (e.ended) return { orphans: [], complete: false };
    e.ended = true;
    for (const [k, l] of this.listeners) if (l.entry === e) this.listeners.delete(k);
    let orphans: ActorEntry<H>[] = [];
    // abort(): a failed assertion ends the process as a death (no destructors ran), not as an error exit.
    if (cause === 'error' && error?.code === 'nix.Assertion') cause = 'aborted';
    if (e.role !== 'autoGcThread') {
      orphans = e.gcThreads.filter((t) => !t.ended);
      const file = this.store.tempRoots.list().find((f) => f.creator === e.pid);
      const roots = file ? this.store.tempRoots.readFile(file.file).map((p) => this.store.storePath(p)) : [];
      const held = this.store.releaseAllLocksOf(e.pid);
      this.emit(e.pid, e.name, { type: 'inspect.process.exit', cause, heldLocks: held.length, roots, ...(error ? { error: error.message } : {}) });
      if (cause === 'aborted' && error) {
        const who = e.role === 'daemonWorker' ? `nix-daemon worker ${e.name}` : e.name;
        this.emit(e.pid, e.name, { type: 'inspect.finding', kind: 'process-aborted', message: `${who} (pid ${e.pid}) aborted: ${error.message}`, path: String(error.data?.['path'] ?? '') });
      }
      if (cause === 'error' && error && (e.role === 'evaluator' || e.role === 'gc')) {
        this.emit(e.pid, e.name, { type: 'inspect.finding', kind: classifyError(error.code, error.message), message: error.message, path: pathOfMessage(error.message) });
      }
    }
    for (const f of e.onEnd) f(cause, value);
    const key = e.parent && e.role === 'daemonWorker' ? e.parent.name : e.name;
    const waiters = this.exitWaiters.get(key);
    if (waiters) {
      this.exitWaiters.delete(key);
      for (const w of waiters) w();
    }
    this.live--;
    for (const name of [...this.barriers.keys()]) this.checkBarrier(name);
    return { orphans, complete: this.live === 0 };
  }

  /**
   * The watchdog's finding (kind `deadlock`): `lead` says why the run was
   * stopped (every live actor blocked, or the sim's step budget spent); then,
   * for each live actor, what it waits for and what it holds (deadlockReport.ts).
   */
  deadlock(lead: string, waits: ReadonlyMap<ActorEntry<H>, ActorWaitState>, notes: readonly string[] = []): void {
    const live = this.actors.filter((a) => !a.ended).map((actor) => ({ actor, wait: waits.get(actor) ?? ({ state: 'blocked', waits: [{ kind: 'internal' }] } as const) }));
    const message = deadlockMessage(lead, { store: this.store, live, barrier: (name) => this.barrierStatus(name), notes });
    this.emit(0, 'watchdog', { type: 'inspect.finding', kind: 'deadlock', path: '', message });
  }

  /** Who waits at a barrier now, and which of its parties have not arrived (for the watchdog). */
  barrierStatus(name: string): { arrived: string[]; missing: string[] } {
    const arrived = (this.barriers.get(name) ?? []).map((w) => w.owner ?? 'a hook');
    const missing = barrierPartyProcesses(this.scenario, name);
    for (const a of arrived) {
      const i = missing.indexOf(a);
      if (i >= 0) missing.splice(i, 1);
    }
    return { arrived, missing };
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Closes the books: closure check, events in global order, findings with causal chains. */
  result(profile: string, seed: number, threads: RunResult['threads'], wallMs: number): RunResult {
    this.finished = true;
    const v = this.store.findClosureViolation();
    if (v) this.emit(0, 'checker', { type: 'inspect.finding', kind: 'closure', path: v.reference, message: `closure violated: valid '${v.path}' references invalid '${v.reference}'` });
    this.emit(0, 'coordinator', { type: 'inspect.run.end' });
    this.events.sort((a, b) => a.seq - b.seq);
    const s = this.store;
    return {
      scenario: this.scenario.name,
      profile,
      seed,
      findings: findingsFrom(this.events),
      processes: this.actors.filter((a) => a.role !== 'autoGcThread').length,
      threads,
      storeOps: this.events.filter((e) => e.type === 'inspect.op').length,
      ...iterationsOf(this.events),
      wallMs,
      events: this.events.length,
      finalStore: {
        valid: s.db.validPaths().map((p) => s.paths.name(p)),
        onDisk: s.disk.list().map((p) => s.paths.name(p)),
      },
    };
  }
}

/** Loop iterations run and failed, by looping process (absent when no process loops). */
function iterationsOf(events: readonly InspectEvent[]): { iterations?: Record<string, { total: number; failed: number }> } {
  const by: Record<string, { total: number; failed: number }> = {};
  for (const e of events) {
    if (e.type !== 'inspect.loop.iteration') continue;
    const c = (by[e.actor] ??= { total: 0, failed: 0 });
    c.total++;
    if (!e.ok) c.failed++;
  }
  return Object.keys(by).length > 0 ? { iterations: by } : {};
}
