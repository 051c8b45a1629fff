/**
 * Host threads for actors. A raw Worker per host (not piscina): a host's death
 * is an event under test, and a pool would silently replace the thread. Hosts
 * are reused across actors and runs, so thread start-up does not dominate.
 *
 * Unbounded (the default), every actor gets a thread of its own. With
 * `maxThreads` (a sweep's `workers`), at most that many threads exist and
 * actors share the least loaded one; an actor on a shared thread is killed by
 * ending it inside the thread, since terminating would kill its neighbours.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type * as ComlinkTypes from 'comlink';
import type { Addressed, HostToCoordinator } from '../../messages/control.js';
import type { HostApi } from '../entries/host.worker.js';
import { Comlink, nodeEndpoint } from './comlink.js';
import type { DelaySamples } from './delay.js';

export interface ActorHandlers {
  readonly onControl: (m: HostToCoordinator) => void;
  /** The actor died with its thread (terminate, crash: `threadDied`) or was killed on a shared thread. */
  readonly onDeath: (threadDied: boolean) => void;
}

export class Host {
  readonly api: ComlinkTypes.Remote<HostApi>;
  /** Actors running on this thread now, by control key. */
  readonly actors = new Map<number, ActorHandlers>();
  /** The scenario keys this thread holds (scenarioCache.ts): a start sends the scenario only when it is not here. */
  readonly scenarios = new Map<number, true>();
  dead = false;
  readonly exited: Promise<void>;
  /** Taken at creation: a Worker's `threadId` reads -1 once it has exited. */
  readonly threadId: number;

  constructor(
    readonly worker: Worker,
    readonly ctl: MessagePort,
  ) {
    this.threadId = worker.threadId;
    // Attach 'exit' right away: it can fire before a late listener is attached.
    this.exited = new Promise((r) =>
      worker.once('exit', () => {
        this.dead = true;
        // What the thread posted before it died (its last event batch) may still be queued on the
        // control port: deliver it now, so the death is recorded after it, not before.
        for (let m = receiveMessageOnPort(ctl); m; m = receiveMessageOnPort(ctl)) this.route(m.message as Addressed<HostToCoordinator>);
        for (const h of [...this.actors.values()]) h.onDeath(true);
        this.actors.clear();
        r();
      }),
    );
    this.api = Comlink.wrap<HostApi>(nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]));
    ctl.on('message', (m: Addressed<HostToCoordinator>) => this.route(m));
  }

  private route(m: Addressed<HostToCoordinator>): void {
    this.actors.get(m.actor)?.onControl(m);
  }
}

/** How long a kill waits for the victim's thread to stop it between turns before terminating it regardless. */
const KILL_GRACE_MS = 1000;

export class HostPool {
  private readonly all = new Set<Host>();
  private readonly entry = new URL('../entries/host.worker.js', import.meta.url);

  constructor(private readonly maxThreads: number | null = null) {}

  /** A thread for one more actor: an idle one, a new one, or (at the cap) the least loaded. */
  acquire(): Host {
    const live = [...this.all].filter((h) => !h.dead);
    const idle = live.find((h) => h.actors.size === 0);
    if (idle) return idle;
    if (this.maxThreads === null || live.length < this.maxThreads) return this.spawn();
    return live.reduce((a, b) => (b.actors.size < a.actors.size ? b : a));
  }

  private spawn(): Host {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.entry, { workerData: { ctl: port2 }, transferList: [port2] });
    const host = new Host(worker, port1);
    this.all.add(host);
    void host.exited.then(() => this.all.delete(host));
    return host;
  }

  attach(h: Host, actor: number, handlers: ActorHandlers): void {
    h.actors.set(actor, handlers);
  }

  release(h: Host, actor: number): void {
    h.actors.delete(actor);
  }

  /**
   * kill -9 of one actor: its own thread is terminated (`finally` blocks do not
   * run); on a shared thread it is ended in place. Either way the actor is first
   * stopped between two of its turns (the `kill` call is served between
   * macrotasks, so never inside a synchronous store operation): a kill never
   * leaves a store operation half-done, as a kernel never leaves a system call
   * half-done. terminate() alone can land between any two statements, and a
   * flock word cut between its two updates stays locked by nobody (the next GC
   * then takes the dead process's file for a live one). A thread that does not
   * answer within KILL_GRACE_MS (blocked synchronously) is terminated anyway;
   * the store's mutexes are robust to that (recovery.ts).
   */
  async kill(h: Host, actor: number): Promise<void> {
    const handlers = h.actors.get(actor);
    if (!handlers) return;
    if (h.actors.size === 1) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((r) => (timer = setTimeout(r, KILL_GRACE_MS)));
      await Promise.race([h.api.kill(actor), h.exited, grace]).finally(() => clearTimeout(timer));
      await h.worker.terminate();
      await h.exited;
      return;
    }
    await Promise.race([h.api.kill(actor), h.exited]);
    if (h.actors.delete(actor)) handlers.onDeath(false);
  }

  /** The delays `--jitter` injected on every live thread (µs). */
  async delays(): Promise<DelaySamples> {
    const live = [...this.all].filter((h) => !h.dead);
    const all = await Promise.all(live.map((h) => Promise.race([h.api.delays(), h.exited.then(() => ({ requestedUs: [], actualUs: [] }))])));
    return { requestedUs: all.flatMap((d) => d.requestedUs), actualUs: all.flatMap((d) => d.actualUs) };
  }

  /** Threads running at least one actor now. */
  busyThreads(): number {
    let n = 0;
    for (const h of this.all) if (!h.dead && h.actors.size > 0) n++;
    return n;
  }

  async close(): Promise<void> {
    const hosts = [...this.all];
    await Promise.all(
      hosts.map(async (h) => {
        h.actors.clear();
        h.ctl.close();
        await h.worker.terminate();
      }),
    );
  }
}
