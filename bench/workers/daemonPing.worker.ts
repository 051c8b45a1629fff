/**
 * Bench thread for the daemon round trip. `serve-daemon` runs the real
 * daemonWorker actor on a port; `serve-echo` echoes raw messages; `client`
 * sends `count` requests one at a time and reports the elapsed time.
 */
import { MessageChannel, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { daemonWorker } from '../../src/actors/daemonWorker.js';
import { mintPid } from '../../src/messages/ids.js';
import { DEFAULT_SETTINGS } from '../../src/messages/profile.js';
import type { DaemonReply, DaemonRequest } from '../../src/messages/daemon.js';
import { Store } from '../../src/store/index.js';
import { PortConnection } from '../../src/runtime/threads/portConnection.js';
import { ThreadContext } from '../../src/runtime/threads/threadContext.js';
import { PROFILES } from '../../src/scenarios/profiles.js';

interface Data {
  readonly role: 'serve-daemon' | 'serve-echo' | 'client';
  readonly port: MessagePort;
  readonly sab: SharedArrayBuffer;
  readonly path: string;
  readonly count: number;
}

const d = workerData as Data;

if (d.role === 'serve-echo') {
  d.port.on('message', (m: { id: number }) => d.port.postMessage({ type: 'daemon.ok', id: m.id, value: true }));
} else if (d.role === 'serve-daemon') {
  const store = Store.attach(d.sab);
  const sink = new MessageChannel(); // the coordinator's end is not needed here: events go nowhere
  sink.port2.on('message', () => undefined);
  const scenario = { name: 'bench', derivations: [], sources: [], initial: { drvs: [], srcs: [], roots: [], junk: [] }, settings: DEFAULT_SETTINGS, processes: [] };
  const ctx = new ThreadContext(
    { store, pid: mintPid(2), role: 'daemonWorker', name: 'W', switches: PROFILES.at(-1)!.switches, settings: DEFAULT_SETTINGS, scenario, seed: 1, runStart: performance.timeOrigin, jitterUs: 0, owner: 'bench', actor: 1 },
    sink.port1,
  );
  void daemonWorker(ctx, new PortConnection<DaemonRequest, DaemonReply>(d.port)).then(() => sink.port1.close());
} else {
  const waiters: ((m: unknown) => void)[] = [];
  d.port.on('message', (m) => waiters.shift()?.(m));
  const once = (): Promise<unknown> => new Promise((r) => waiters.push(r));
  void (async () => {
    for (let i = 0; i < 200; i++) {
      d.port.postMessage({ type: 'daemon.isValidPath', id: i, path: d.path });
      await once();
    }
    const t0 = performance.now();
    for (let i = 0; i < d.count; i++) {
      d.port.postMessage({ type: 'daemon.isValidPath', id: i, path: d.path });
      await once();
    }
    parentPort!.postMessage(performance.now() - t0);
    d.port.close();
  })();
}
