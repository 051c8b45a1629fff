/**
 * Host threads for actors. A raw Worker per host (not piscina): a host's death
 * is an event under test, and a pool would silently replace the thread. Hosts
 * are reused across actors and runs, so thread start-up does not dominate.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type * as ComlinkTypes from 'comlink';
import type { HostToCoordinator } from '../../messages/control.js';
import type { HostApi } from '../entries/host.worker.js';
import { Comlink, nodeEndpoint } from './comlink.js';

export class Host {
  readonly api: ComlinkTypes.Remote<HostApi>;
  onControl: ((m: HostToCoordinator) => void) | null = null;
  /** Called once if the thread dies (terminate, crash). */
  onDeath: (() => void) | null = null;
  dead = false;
  readonly exited: Promise<void>;

  constructor(
    readonly worker: Worker,
    readonly ctl: MessagePort,
  ) {
    // Attach 'exit' right away: it can fire before a late listener is attached.
    this.exited = new Promise((r) =>
      worker.once('exit', () => {
        this.dead = true;
        // What the thread posted before it died (its last event batch) may still be queued on the
        // control port: deliver it now, so the death is recorded after it, not before.
        for (let m = receiveMessageOnPort(ctl); m; m = receiveMessageOnPort(ctl)) this.onControl?.(m.message as HostToCoordinator);
        this.onDeath?.();
        r();
      }),
    );
    this.api = Comlink.wrap<HostApi>(nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]));
    ctl.on('message', (m: HostToCoordinator) => this.onControl?.(m));
  }

  get threadId(): number {
    return this.worker.threadId;
  }
}

export class HostPool {
  private readonly idle: Host[] = [];
  private readonly all = new Set<Host>();
  private readonly entry = new URL('../entries/host.worker.js', import.meta.url);

  acquire(): Host {
    for (let h = this.idle.pop(); h; h = this.idle.pop()) if (!h.dead) return h;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.entry, { workerData: { ctl: port2 }, transferList: [port2] });
    const host = new Host(worker, port1);
    this.all.add(host);
    void host.exited.then(() => this.all.delete(host));
    return host;
  }

  release(h: Host): void {
    h.onControl = null;
    h.onDeath = null;
    if (!h.dead) this.idle.push(h);
  }

  /** kill -9: the thread stops wherever it is; `finally` blocks do not run. */
  async kill(h: Host): Promise<void> {
    await h.worker.terminate();
    await h.exited;
  }

  get size(): number {
    return this.all.size;
  }

  async close(): Promise<void> {
    const hosts = [...this.all];
    this.idle.length = 0;
    await Promise.all(hosts.map(async (h) => {
      h.onDeath = null;
      h.ctl.close();
      await h.worker.terminate();
    }));
  }
}
