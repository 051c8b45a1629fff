/**
 * A single-thread ActorContext for unit tests: no threads, no coordinator.
 * Connections are in-memory queues; the roots socket reaches a listener made in
 * the same test; the GC "thread" runs in the same event loop.
 */
import { ConnectFailed, type Address } from '../../../src/messages/addresses.js';
import type { InspectBody } from '../../../src/messages/inspect.js';
import { mintPid, type OfdId, type Pid } from '../../../src/messages/ids.js';
import { DEFAULT_SETTINGS, type NixSettings, type Switches } from '../../../src/messages/profile.js';
import type { ScenarioRun } from '../../../src/messages/scenario.js';
import type { ActorContext, Connection, GcThreadRequest, GcThreadResult, Listener } from '../../../src/actors/context.js';
import { autoGcThread } from '../../../src/actors/autoGc.js';
import { daemonWorker } from '../../../src/actors/daemonWorker.js';
import type { DaemonReply, DaemonRequest } from '../../../src/messages/daemon.js';
import { capacitiesFor, Store, type FlockMode } from '../../../src/store/index.js';
import { PROFILES } from '../../../src/scenarios/profiles.js';
import { scenario } from '../../fixtures/scenarios.js';

export const EMPTY_SCENARIO: ScenarioRun = scenario({ name: 'unit' });

export function newStore(): Store {
  return Store.create(capacitiesFor({ paths: 512, tempRootsFiles: 16 }));
}

export function switchesOf(profile: string, over: Partial<Switches> = {}): Switches {
  const p = PROFILES.find((x) => x.name === profile);
  if (!p) throw new Error(profile);
  return { ...p.switches, ...over };
}

function pair<A, B>(): [Connection<A, B>, Connection<B, A>] {
  const mk = <In, Out>(inbox: In[], waiters: ((v: In | null) => void)[], peer: { push(m: Out): void; close(): void }, state: { closed: boolean }): Connection<In, Out> => ({
    send: (m) => peer.push(m),
    receive: () => (inbox.length ? Promise.resolve(inbox.shift()!) : state.closed ? Promise.resolve(null) : new Promise((r) => waiters.push(r))),
    close: () => peer.close(),
  });
  const state = { closed: false };
  const aIn: A[] = [];
  const bIn: B[] = [];
  const aW: ((v: A | null) => void)[] = [];
  const bW: ((v: B | null) => void)[] = [];
  const close = (): void => {
    state.closed = true;
    for (const w of aW.splice(0)) w(null);
    for (const w of bW.splice(0)) w(null);
  };
  const toA = { push: (m: A) => (aW.length ? aW.shift()!(m) : aIn.push(m)), close };
  const toB = { push: (m: B) => (bW.length ? bW.shift()!(m) : bIn.push(m)), close };
  return [mk<A, B>(aIn, aW, toB, state), mk<B, A>(bIn, bW, toA, state)];
}

/** Shared between fake contexts of one test: the bound roots-socket listener, if any. */
export class FakeWorld {
  listener: { push(c: Connection<unknown, unknown>): void } | null = null;
  clock = 0;
  nextPid = 2000;
  readonly workers: FakeContext[] = [];
  constructor(readonly store: Store) {}
}

export class FakeContext implements ActorContext {
  readonly events: InspectBody[] = [];
  readonly role = 'daemonWorker' as const;
  readonly name: string;
  readonly pid: Pid;
  readonly store: Store;
  gcThreadRuns = 0;

  constructor(
    readonly world: FakeWorld,
    pid: number,
    readonly switches: Switches = switchesOf('nix-2.35'),
    readonly settings: NixSettings = DEFAULT_SETTINGS,
    readonly scenario: ScenarioRun = EMPTY_SCENARIO,
  ) {
    this.pid = mintPid(pid);
    this.name = `P${pid}`;
    this.store = world.store;
  }

  logs(): string[] {
    return this.events.flatMap((e) => (e.type === 'inspect.log' ? [e.text] : []));
  }

  step(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  async lock(ofd: OfdId, mode: FlockMode): Promise<void> {
    await this.store.flock.lockAsync(ofd, mode);
  }

  async sleep(ms: number): Promise<void> {
    this.world.clock += ms / 1000;
    await new Promise((r) => setTimeout(r, 1));
  }

  now(): number {
    return this.world.clock;
  }

  random(): number {
    return 0.5;
  }

  async connect<In, Out>(address: Address): Promise<Connection<In, Out>> {
    if (address.kind === 'daemon') {
      // Fork a worker per connection; when it returns, the kernel drops its locks.
      const [client, server] = pair<In, Out>();
      const w = new FakeContext(this.world, this.world.nextPid++, this.switches, this.settings, this.scenario);
      this.world.workers.push(w);
      void daemonWorker(w, server as unknown as Connection<DaemonRequest, DaemonReply>).finally(() => this.store.releaseAllLocksOf(w.pid));
      return client;
    }
    const l = this.world.listener;
    if (address.kind !== 'gcSocket' || !l) throw new ConnectFailed(this.store.gcSocketExists() ? 'ECONNREFUSED' : 'ENOENT', address);
    const [client, server] = pair<In, Out>();
    l.push(server);
    return client;
  }

  listen<In, Out>(): Listener<In, Out> {
    const queue: Connection<In, Out>[] = [];
    const waiting: ((c: Connection<In, Out> | null) => void)[] = [];
    const world = this.world;
    world.listener = { push: (c) => (waiting.length ? waiting.shift()!(c as Connection<In, Out>) : queue.push(c as Connection<In, Out>)) };
    return {
      accept: () => (queue.length ? Promise.resolve(queue.shift()!) : world.listener ? new Promise((r) => waiting.push(r)) : Promise.resolve(null)),
      close: () => {
        world.listener = null;
        for (const w of waiting.splice(0)) w(null);
      },
    };
  }

  async runGcThread(req: GcThreadRequest): Promise<GcThreadResult> {
    return autoGcThread(this, { maxFreed: req.maxFreed, run: `auto-gc@${this.name}#${++this.gcThreadRuns}`, stateLock: req.stateLock });
  }

  awaitExit(): Promise<void> {
    return Promise.resolve();
  }

  barrier(): Promise<void> {
    return Promise.resolve();
  }

  killDaemonWorker(): Promise<void> {
    return Promise.resolve();
  }

  spend(): Promise<void> {
    return Promise.resolve();
  }

  /** No other processes in the fake world: a spawn fails. */
  spawnProcess(): Promise<boolean> {
    return Promise.resolve(false);
  }

  emit(e: InspectBody): void {
    this.events.push(e);
  }
}
