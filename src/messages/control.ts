/**
 * Coordinator control protocol between a host thread (running one actor) and
 * the coordinator on the main thread. One union per direction. Ports for
 * daemon connections and the roots socket travel in the transfer list.
 */
import type { Address, ConnectErrno } from './addresses.js';
import type { SerializedError } from './errors.js';
import type { InspectEvent } from './inspect.js';

export type HostToCoordinator =
  | { readonly type: 'ctl.connect'; readonly req: number; readonly address: Address }
  | { readonly type: 'ctl.listen'; readonly listener: number }
  | { readonly type: 'ctl.unlisten'; readonly listener: number }
  | { readonly type: 'ctl.runGcThread'; readonly req: number; readonly maxFreed: number; readonly stateLock: number }
  | { readonly type: 'ctl.awaitExit'; readonly req: number; readonly process: string }
  | { readonly type: 'ctl.barrier'; readonly req: number; readonly name: string }
  | { readonly type: 'ctl.killDaemonWorker'; readonly req: number }
  /** fork/exec of a `spawned` scenario process; the reply's value is whether it ended normally. */
  | { readonly type: 'ctl.spawn'; readonly req: number; readonly process: string; readonly iterations: readonly number[] }
  | { readonly type: 'ctl.events'; readonly events: readonly InspectEvent[] }
  | { readonly type: 'ctl.done'; readonly cause: 'normal' | 'error'; readonly error?: SerializedError; readonly value?: unknown };

/** Several actors may share a host thread: every control message names its actor. */
export type Addressed<T> = T & { readonly actor: number };

/** A port is attached (transferred) to replies of connect and to accept. */
export type CoordinatorToHost =
  | { readonly type: 'ctl.reply'; readonly req: number; readonly ok: true; readonly value?: unknown; readonly port?: unknown }
  | { readonly type: 'ctl.reply'; readonly req: number; readonly ok: false; readonly errno: ConnectErrno | 'EINTR' }
  | { readonly type: 'ctl.accept'; readonly listener: number; readonly port: unknown };
