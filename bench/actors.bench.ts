/**
 * Actor figures: a daemon op round trip (IsValidPath over a connection between
 * two worker threads, served by the real daemonWorker) beside a raw postMessage
 * echo between two worker threads, and runs per second of pr-15158 with two
 * evaluators on the threads runtime (threads started once and reused).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { ThreadsRuntime } from '../src/runtime/index.js';
import { openScenario, profileByName } from '../src/scenarios/index.js';
import { Store, capacitiesFor, makeTextPath } from '../src/store/index.js';
import { median, row, type BenchRow } from './row.js';

const entry = new URL('./workers/daemonPing.worker.js', import.meta.url);

async function roundTrips(serverRole: 'serve-daemon' | 'serve-echo', count: number): Promise<number> {
  const store = Store.create(capacitiesFor({ paths: 64 }));
  const path = makeTextPath('p.drv', 'p', []);
  store.intern(path);
  const { port1, port2 } = new MessageChannel();
  const server = new Worker(entry, { workerData: { role: serverRole, port: port1, sab: store.sab, path, count }, transferList: [port1] });
  const client = new Worker(entry, { workerData: { role: 'client', port: port2, sab: store.sab, path, count }, transferList: [port2] });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
    });
    return count / (ms / 1000);
  } finally {
    await Promise.all([server.terminate(), client.terminate()]);
  }
}

export async function* actorsBench(): AsyncGenerator<BenchRow> {
  const daemon: number[] = [];
  const raw: number[] = [];
  for (let t = 0; t < 5; t++) {
    daemon.push(await roundTrips('serve-daemon', 5000));
    raw.push(await roundTrips('serve-echo', 5000));
  }
  // Lower is better for a latency ratio: report time per op, so ratio = daemon time / raw time (target ≤ 2).
  const dUs = 1e6 / median(daemon);
  const rUs = 1e6 / median(raw);
  yield { ...row({ bench: 'daemon.IsValidPath.roundTrip', value: dUs, unit: 'µs/op', baseline: rUs }), target: 2, met: dUs / rUs <= 2 };

  const rt = new ThreadsRuntime({ timeoutMs: 20_000 });
  try {
    const scenario = openScenario('pr-15158').expand(['evaluators=2']).run;
    for (let i = 0; i < 3; i++) await rt.run(scenario, profileByName('nix-2.33'), i); // start threads, JIT
    const n = 30;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await rt.run(scenario, profileByName('nix-2.33'), 100 + i);
    yield row({ bench: 'threads.run.pr-15158.2evaluators', value: n / ((performance.now() - t0) / 1000), unit: 'runs/s' });
  } finally {
    await rt.close();
  }
}
