/**
 * The daemon wire protocol between a client (RemoteStore) and its daemon worker.
 * One union per direction. Paths travel as full store paths, as on Nix's wire.
 */
import type { SerializedError } from './errors.js';

export interface TextAddition {
  /** Base name, e.g. `hosts.drv`. */
  readonly name: string;
  readonly contents: string;
  readonly references: readonly string[];
  /** For a drv: the output paths its text declares (Nix parses them from the drv). */
  readonly outputs?: readonly string[];
  readonly size: number;
}

export type DaemonRequest =
  | { readonly type: 'daemon.isValidPath'; readonly id: number; readonly path: string }
  | { readonly type: 'daemon.queryPathInfo'; readonly id: number; readonly path: string }
  | { readonly type: 'daemon.addTempRoot'; readonly id: number; readonly path: string }
  | { readonly type: 'daemon.addToStore'; readonly id: number; readonly add: TextAddition; readonly method: 'text' | 'source' }
  | { readonly type: 'daemon.addTextToStore'; readonly id: number; readonly add: TextAddition }
  | { readonly type: 'daemon.buildPaths'; readonly id: number; readonly paths: readonly string[] }
  | { readonly type: 'daemon.ensurePath'; readonly id: number; readonly path: string }
  | { readonly type: 'daemon.addPermRoot'; readonly id: number; readonly path: string; readonly link: string }
  | { readonly type: 'daemon.collectGarbage'; readonly id: number; readonly maxFreed: number };

export type DaemonReply =
  | { readonly type: 'daemon.ok'; readonly id: number; readonly value: string | boolean | number | null | readonly string[] }
  | { readonly type: 'daemon.error'; readonly id: number; readonly error: SerializedError };

export type DaemonOpName = DaemonRequest['type'];
