/**
 * comlink 4.4.2 ships UMD without an exports map: load it with createRequire,
 * and its Node adapter from the UMD folder (NODE-NOTES.md).
 */
import { createRequire } from 'node:module';
import type * as ComlinkTypes from 'comlink';

const require = createRequire(import.meta.url);
export const Comlink = require('comlink') as typeof ComlinkTypes;
type NodeEndpointFn = (nep: {
  postMessage(message: unknown, transfer?: unknown[]): void;
  on(type: string, listener: (...args: unknown[]) => void): void;
  off(type: string, listener: (...args: unknown[]) => void): void;
}) => ComlinkTypes.Endpoint;
const adapter = require('comlink/dist/umd/node-adapter.js') as NodeEndpointFn | { default: NodeEndpointFn };
export const nodeEndpoint: NodeEndpointFn = typeof adapter === 'function' ? adapter : adapter.default;
