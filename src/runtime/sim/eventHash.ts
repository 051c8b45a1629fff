/**
 * The identity of a run's event stream: sha256 over canonical JSON (object keys
 * sorted) of every event in sequence order. Sim events carry only virtual time,
 * so two runs with the same seed and schedule hash alike.
 */
import { createHash } from 'node:crypto';
import type { InspectEvent } from '../../messages/inspect.js';

/** JSON with object keys in sorted order at every level. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export function hashEvents(events: readonly InspectEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(canonicalJson(e)).update('\n');
  return h.digest('hex');
}
