/**
 * A host thread: runs one actor at a time for the coordinator. `start` comes in
 * over comlink; everything else (connections, events, exit) over the control
 * port handed over at thread creation.
 */
import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads';
import type { Addressed, CoordinatorToHost, HostToCoordinator } from '../../messages/control.js';
import { serializeError } from '../../messages/errors.js';
import type { ActorRole } from '../../messages/inspect.js';
import { mintPid } from '../../messages/ids.js';
import type { NixSettings, Switches } from '../../messages/profile.js';
import type { ProcessSpec, ScenarioRun } from '../../messages/scenario.js';
import type { DaemonReply, DaemonRequest } from '../../messages/daemon.js';
import { Store } from '../../store/index.js';
import { ownerOfThread, setMutexIdentity } from '../../store/mutex.js';
import { daemonWorker } from '../../actors/daemonWorker.js';
import { clientProcess } from '../../actors/evaluator.js';
import { autoGcThread } from '../../actors/autoGc.js';
import { CrashPlan } from '../../actors/crashes.js';
import { Comlink, nodeEndpoint } from '../threads/comlink.js';
import { delaySamples, type DelaySamples } from '../threads/delay.js';
import { keepScenario } from '../threads/scenarioCache.js';
import { ThreadContext, type ActorThreadState } from '../threads/threadContext.js';

export interface StartMessage {
  readonly runToken: string;
  readonly sab: SharedArrayBuffer;
  /** The coordinator's key for the run's scenario (scenarioCache.ts)... */
  readonly scenarioKey: number;
  /** ...and the scenario itself, the first time this thread is to hold it. */
  readonly scenario?: ScenarioRun;
  readonly switches: Switches;
  readonly settings: NixSettings;
  readonly seed: number;
  readonly runStart: number;
  readonly jitterUs: number;
  readonly timeScale: number;
  readonly pid: number;
  readonly role: ActorRole;
  readonly name: string;
  readonly spec?: ProcessSpec;
  readonly daemonPort?: MessagePort;
  readonly gc?: { readonly maxFreed: number; readonly run: string; readonly stateLock: number };
  /** The scenario process this actor belongs to (for step hooks). */
  readonly owner: string;
  /** The actor's control key, unique in the process. */
  readonly actor: number;
  /** For a daemon worker: its client's pid. */
  readonly parent?: number;
  /** For a spawned process: the `{n}` values it runs its program for (given by its spawner). */
  readonly iterations?: readonly number[];
  /** The run's crash state (actors/crashes.ts), shared by every thread of the run. */
  readonly crashState: SharedArrayBuffer;
}

// A host thread may sleep on a store mutex; its identity in the mutex word lets the coordinator recover one it dies holding.
setMutexIdentity({ owner: ownerOfThread(threadId), mayBlock: true });

const ctl = (workerData as { ctl: MessagePort }).ctl;
/** The actors this thread runs now, by their control key (several when the run caps its threads). */
const actors = new Map<number, ThreadContext>();
let hosted = 0;
let run: { token: string; store: Store; scenario: ScenarioRun; crashes: CrashPlan } | null = null;
/** Resolved scenarios sent to this thread, by key (scenarioCache.ts). */
const scenarios = new Map<number, ScenarioRun>();
let scenariosReceived = 0;

ctl.on('message', (m: Addressed<CoordinatorToHost>) => {
  const ctx = actors.get(m.actor);
  if (ctx) ctx.onControl(m);
  else if (m.type === 'ctl.accept') (m.port as MessagePort).close(); // the listener's actor is gone
});

function done(ctx: ThreadContext, actor: number, msg: HostToCoordinator): void {
  if (actors.get(actor) !== ctx) return; // killed meanwhile: the coordinator already ended it
  ctx.flush();
  ctx.closeConnections();
  actors.delete(actor);
  ctl.postMessage({ ...msg, actor } satisfies Addressed<HostToCoordinator>);
}

const api = {
  /** How many actors this thread has hosted, how many it runs now, and how many scenarios it was sent. */
  stats(): { actorsHosted: number; running: number; scenariosReceived: number } {
    return { actorsHosted: hosted, running: actors.size, scenariosReceived };
  },
  /** What each actor on this thread waits for now (the watchdog's probe). */
  waits(): (ActorThreadState & { readonly actor: number })[] {
    return [...actors].map(([actor, ctx]) => ({ actor, ...ctx.waitState() }));
  },
  /** The seeded delays `--jitter` injected on this thread (µs). */
  delays(): DelaySamples {
    return delaySamples();
  },
  /** kill -9 of one actor on a shared thread (a thread of its own is terminated instead). */
  kill(actor: number): boolean {
    const ctx = actors.get(actor);
    actors.delete(actor);
    ctx?.kill();
    return ctx !== undefined;
  },
  start(m: StartMessage): boolean {
    // One store mapping and one resolved scenario per run, reused by every actor this thread hosts.
    if (m.scenario) {
      keepScenario(scenarios, m.scenarioKey, m.scenario);
      scenariosReceived++;
    }
    const scenario = scenarios.get(m.scenarioKey);
    if (!scenario) throw new Error(`host thread ${threadId}: scenario ${m.scenarioKey} was never sent here`);
    if (run?.token !== m.runToken) run = { token: m.runToken, store: Store.attach(m.sab), scenario, crashes: new CrashPlan(scenario.crash, new Int32Array(m.crashState)) };
    const ctx: ThreadContext = new ThreadContext(
      {
        store: run.store, pid: mintPid(m.pid), role: m.role, name: m.name, switches: m.switches, settings: m.settings, scenario: run.scenario, seed: m.seed, runStart: m.runStart, jitterUs: m.jitterUs, timeScale: m.timeScale, owner: m.owner, actor: m.actor,
        crashes: run.crashes,
        // Stopped at an injected SIGKILL (its events already flushed): the body never settles, so report the end here.
        onKilled: (error) => {
          if (actors.get(m.actor) !== ctx) return;
          actors.delete(m.actor);
          ctl.postMessage({ type: 'ctl.done', cause: 'error', error, actor: m.actor } satisfies Addressed<HostToCoordinator>);
        },
      },
      ctl,
    );
    actors.set(m.actor, ctx);
    ctx.emit({ type: 'inspect.process.start', role: m.role, name: m.name, ...(m.parent !== undefined ? { parent: m.parent } : {}) });
    hosted++;
    const body = async (): Promise<unknown> => {
      switch (m.role) {
        case 'daemonWorker':
          return daemonWorker(ctx, ctx.connection<DaemonRequest, DaemonReply>(m.daemonPort!, 'daemon-worker'));
        case 'autoGcThread':
          return autoGcThread(ctx, m.gc!);
        case 'evaluator':
        case 'gc':
          return clientProcess(ctx, m.spec!, m.iterations);
        case 'coordinator':
          throw new Error('the coordinator runs on the main thread');
      }
    };
    body().then(
      (value) => done(ctx, m.actor, { type: 'ctl.done', cause: 'normal', value }),
      (e: unknown) => done(ctx, m.actor, { type: 'ctl.done', cause: 'error', error: serializeError(e) }),
    );
    return true;
  },
};

export type HostApi = typeof api;
Comlink.expose(api, nodeEndpoint(parentPort! as unknown as Parameters<typeof nodeEndpoint>[0]));
