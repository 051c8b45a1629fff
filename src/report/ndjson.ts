/**
 * The recorded stream as NDJSON: one event per line in `seq` order, the first
 * line the run header carrying `schemaVersion`. `parseEvents` reads it back
 * for `rootrace report`, rejecting bad input with one message naming the file
 * and line (a UsageError: exit code 2, no stack trace).
 */
import { UsageError } from '../messages/errors.js';
import type { InspectBody, InspectEvent } from '../messages/inspect.js';

export const EVENTS_SCHEMA_VERSION = 1;

type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'object';
/** A field's type; `?` when the field may be absent. */
type FieldSpec = FieldType | `${FieldType}?`;
/** Every field of every event type (the compiler holds the table to the union), checked per line. */
type EventFields = { readonly [T in InspectBody['type']]: { readonly [K in Exclude<keyof Extract<InspectBody, { type: T }>, 'type'>]-?: FieldSpec } };

/** Every event type with its fields, so a file from a newer or broken writer, or edited by hand, is caught at its line. */
const FIELDS: EventFields = {
  'inspect.run.start': { scenario: 'string', profile: 'string', seed: 'number', free: 'number', used: 'number' },
  'inspect.run.end': {},
  'inspect.check': { check: 'string', site: 'string', path: 'string', valid: 'boolean', rooted: 'boolean', then: 'string', switch: 'object?' },
  'inspect.loop.iteration': { n: 'number', ok: 'boolean' },
  'inspect.process.start': { role: 'string', name: 'string', parent: 'number?' },
  'inspect.process.exit': { cause: 'string', error: 'string?', heldLocks: 'number', roots: 'string[]' },
  'inspect.connection.open': { kind: 'string', peer: 'number' },
  'inspect.connection.close': { kind: 'string', peer: 'number' },
  'inspect.tempRoots.create': { file: 'number' },
  'inspect.tempRoot.add': { path: 'string', via: 'string', switch: 'object?' },
  'inspect.tempRoots.stale': { file: 'number', gcRun: 'string' },
  'inspect.tempRoots.unlink': { file: 'number', reason: 'string' },
  'inspect.lock.wait': { file: 'string', mode: 'string' },
  'inspect.lock.grant': { file: 'string', mode: 'string' },
  'inspect.roots.connect': { result: 'string' },
  'inspect.roots.send': { path: 'string' },
  'inspect.roots.ack': { path: 'string', gcRun: 'string', waited: 'boolean' },
  'inspect.gc.phase': { gcRun: 'string', phase: 'string' },
  'inspect.gc.delete': { gcRun: 'string', path: 'string', bytes: 'number', free: 'number?', used: 'number?' },
  'inspect.gc.keep': { gcRun: 'string', path: 'string', reason: 'string' },
  'inspect.autoGc.decision': { decision: 'string', avail: 'number', toFree: 'number' },
  'inspect.op.start': { op: 'string', id: 'number', path: 'string', refs: 'string[]?' },
  'inspect.op': { op: 'string', path: 'string', result: 'string', error: 'string?', id: 'number?', free: 'number?', used: 'number?' },
  'inspect.client.call': { op: 'string', id: 'number' },
  'inspect.client.reply': { op: 'string', id: 'number', result: 'string', error: 'string?' },
  'inspect.log': { level: 'string', text: 'string' },
  'inspect.finding': { kind: 'string', message: 'string', path: 'string' },
  'inspect.crash': { signal: 'string', label: 'string', occurrence: 'number', process: 'string' },
};

function hasType(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === t;
  }
}

/** NDJSON text of one run's events (already in `seq` order), ending with a newline. */
export function toNdjson(events: readonly InspectEvent[]): string {
  const lines: string[] = [];
  for (const e of events) {
    lines.push(lines.length === 0 ? JSON.stringify({ schemaVersion: EVENTS_SCHEMA_VERSION, ...e }) : JSON.stringify(e));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function fail(file: string, line: number, what: string): never {
  throw new UsageError(`${file}:${line}: ${what}`);
}

const HEADER_FIELDS = [['seq', 'number'], ['t', 'number'], ['thread', 'number'], ['pid', 'number'], ['actor', 'string'], ['type', 'string']] as const;

/** Parses a recorded stream; `file` names it in errors. One run per file. */
export function parseEvents(text: string, file: string): InspectEvent[] {
  const events: InspectEvent[] = [];
  const lines = text.split('\n');
  let lastSeq = -Infinity;
  let lastLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const n = i + 1;
    if (line === '') continue;
    lastLine = n;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      fail(file, n, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(file, n, 'expected one JSON object per line');
    const o = v as Record<string, unknown>;
    if (events.length === 0) {
      if (o['schemaVersion'] === undefined) fail(file, n, 'the first line must carry schemaVersion (is this a rootrace --events file?)');
      if (o['schemaVersion'] !== EVENTS_SCHEMA_VERSION) fail(file, n, `unsupported schemaVersion ${JSON.stringify(o['schemaVersion'])} (this rootrace reads ${EVENTS_SCHEMA_VERSION})`);
      delete o['schemaVersion'];
    }
    for (const [k, type] of HEADER_FIELDS) {
      if (typeof o[k] !== type) fail(file, n, `field '${k}' must be a ${type}`);
    }
    const type = o['type'] as InspectBody['type'];
    if (!Object.hasOwn(FIELDS, type)) fail(file, n, `unknown event type '${type}'`);
    for (const [k, spec] of Object.entries<FieldSpec>(FIELDS[type])) {
      const optional = spec.endsWith('?');
      const t = (optional ? spec.slice(0, -1) : spec) as FieldType;
      if (o[k] === undefined ? !optional : !hasType(o[k], t)) fail(file, n, `${type}: field '${k}' must be ${t === 'string[]' ? 'a list of strings' : `a ${t}`}`);
    }
    if (events.length === 0 && type !== 'inspect.run.start') fail(file, n, `the first event must be inspect.run.start, got ${type} (is the head of the file cut off?)`);
    if (type === 'inspect.run.start' && events.length > 0) fail(file, n, 'a second run header: one run per file');
    if (events.at(-1)?.type === 'inspect.run.end') fail(file, n, `${type} after inspect.run.end: one run per file, and nothing after its end`);
    const seq = o['seq'] as number;
    if (seq <= lastSeq) fail(file, n, `seq ${seq} does not increase (previous ${lastSeq})`);
    lastSeq = seq;
    events.push(o as unknown as InspectEvent);
  }
  if (events.length === 0) throw new UsageError(`${file}: no events (an empty file)`);
  // A recorded run ends with inspect.run.end: a stream without it was cut (a copy or a write that stopped).
  if (events.at(-1)!.type !== 'inspect.run.end') fail(file, lastLine, `the stream ends here without inspect.run.end: it is truncated (${events.length} events read)`);
  return events;
}
