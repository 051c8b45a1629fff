/**
 * The one interface actor code sees (DESIGN.md §3). Both runtimes implement it:
 * `threads` with worker threads, MessageChannels and Atomics; `sim` (later) with
 * one thread and a seeded scheduler. Actors never touch threads directly.
 */
import type { Address } from '../messages/addresses.js';
import type { ActorRole, InspectBody } from '../messages/inspect.js';
import type { OfdId, Pid } from '../messages/ids.js';
import type { NixSettings, Switches } from '../messages/profile.js';
import type { Costs } from '../messages/costs.js';
import type { ScenarioRun } from '../messages/scenario.js';
import type { FlockMode, Store } from '../store/index.js';

/** A bidirectional message stream (a Unix socket in Nix). `receive` yields null at EOF. */
export interface Connection<In, Out> {
  send(msg: Out): void;
  receive(): Promise<In | null>;
  close(): void;
}

export interface Listener<In, Out> {
  /** Resolves with the next client, or null once the listener is closed. */
  accept(): Promise<Connection<In, Out> | null>;
  close(): void;
}

/** A request to run collectGarbage on a GC thread of the calling process (auto-GC). */
export interface GcThreadRequest {
  readonly maxFreed: number;
  /** The lock file of the process's `_state` (StateLock.file): the GC thread opens its own description on it. */
  readonly stateLock: number;
}

export interface GcThreadResult {
  readonly deleted: number;
  readonly bytesFreed: number;
}

/** Who an actor is and what it runs against: the same in every runtime. */
export interface ActorIdentity {
  readonly store: Store;
  readonly pid: Pid;
  readonly role: ActorRole;
  /** A readable actor name (`E1`, `W(E1)`, `gc-thread(W(E1))`). */
  readonly name: string;
  readonly switches: Switches;
  readonly settings: NixSettings;
  readonly scenario: ScenarioRun;
}

/** The identity half of a context, for runtimes to extend: copied once from the init. */
export abstract class ActorIdentityBase implements ActorIdentity {
  readonly store: Store;
  readonly pid: Pid;
  readonly role: ActorRole;
  readonly name: string;
  readonly switches: Switches;
  readonly settings: NixSettings;
  readonly scenario: ScenarioRun;

  constructor(id: ActorIdentity) {
    this.store = id.store;
    this.pid = id.pid;
    this.role = id.role;
    this.name = id.name;
    this.switches = id.switches;
    this.settings = id.settings;
    this.scenario = id.scenario;
  }
}

export interface ActorContext extends ActorIdentity {
  /** An interleaving point: the sim runtime schedules here; threads may inject a seeded delay. */
  step(label: string): Promise<void>;
  /** Blocking flock (an await). */
  lock(ofd: OfdId, mode: FlockMode, what: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /**
   * Model time spent working (the cost model, messages/costs.ts): the sim
   * advances this actor's virtual time; threads sleep only with a time scale.
   * A zero cost returns at once, with no interleaving point.
   */
  spend(ms: number): Promise<void>;
  /** Seconds since the run started (virtual in sim). */
  now(): number;
  /** Uniform in [0, 1), from the run's seed. */
  random(): number;
  connect<In, Out>(address: Address): Promise<Connection<In, Out>>;
  listen<In, Out>(address: Address): Listener<In, Out>;
  /** Runs collectGarbage on a separate GC thread of this process; resolves when it ends. */
  runGcThread(req: GcThreadRequest): Promise<GcThreadResult>;
  /** Waits until the named scenario process and its daemon worker have exited. */
  awaitExit(processName: string): Promise<void>;
  barrier(name: string): Promise<void>;
  /** kill -9 of this client's daemon worker (terminates its thread); resolves once it is gone. */
  killDaemonWorker(): Promise<void>;
  /**
   * fork/exec of the scenario's `spawned` process `name` (a fresh pid, its own
   * daemon connection) that runs its program once for each `{n}` in
   * `iterations`; resolves when it has exited: true if it ended normally.
   */
  spawnProcess(name: string, iterations: readonly number[]): Promise<boolean>;
  emit(event: InspectBody): void;
}

/** `cost` (model ms) of `what` in this run, with the cost model's seeded spread; 0 without a cost model. */
export function costOf(ctx: ActorContext, what: Exclude<keyof Costs, 'jitter'>, times = 1): number {
  const c = ctx.scenario.costs;
  if (!c || c[what] <= 0 || times <= 0) return 0;
  return c[what] * times * (1 + c.jitter * (2 * ctx.random() - 1));
}

/** Spends the model time of `what` (see costOf). */
export function spendOn(ctx: ActorContext, what: Exclude<keyof Costs, 'jitter'>, times = 1): Promise<void> {
  const ms = costOf(ctx, what, times);
  return ms > 0 ? ctx.spend(ms) : Promise.resolve();
}
