/**
 * The recorded stream as NDJSON: one event per line in `seq` order, the first
 * line the run header carrying `schemaVersion`. `parseEvents` reads it back
 * for `rootrace report`, rejecting bad input with one message naming the file
 * and line (a UsageError: exit code 2, no stack trace).
 */
import { UsageError } from '../messages/errors.js';
import type { InspectBody, InspectEvent } from '../messages/inspect.js';

export const EVENTS_SCHEMA_VERSION = 1;

/** Every event type, so a file from a newer or broken writer is caught at its line. */
const TYPES: Readonly<Record<InspectBody['type'], true>> = {
  'inspect.run.start': true,
  'inspect.run.end': true,
  'inspect.check': true,
  'inspect.loop.iteration': true,
  'inspect.process.start': true,
  'inspect.process.exit': true,
  'inspect.connection.open': true,
  'inspect.connection.close': true,
  'inspect.tempRoots.create': true,
  'inspect.tempRoot.add': true,
  'inspect.tempRoots.stale': true,
  'inspect.tempRoots.unlink': true,
  'inspect.lock.wait': true,
  'inspect.lock.grant': true,
  'inspect.roots.connect': true,
  'inspect.roots.send': true,
  'inspect.roots.ack': true,
  'inspect.gc.phase': true,
  'inspect.gc.delete': true,
  'inspect.gc.keep': true,
  'inspect.autoGc.decision': true,
  'inspect.op.start': true,
  'inspect.op': true,
  'inspect.client.call': true,
  'inspect.client.reply': true,
  'inspect.log': true,
  'inspect.finding': true,
  'inspect.crash': true,
};

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
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const n = i + 1;
    if (line === '') continue;
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
    if (!Object.hasOwn(TYPES, o['type'] as string)) fail(file, n, `unknown event type '${String(o['type'])}'`);
    if (o['type'] === 'inspect.run.start' && events.length > 0) fail(file, n, 'a second run header: one run per file');
    const seq = o['seq'] as number;
    if (seq <= lastSeq) fail(file, n, `seq ${seq} does not increase (previous ${lastSeq})`);
    lastSeq = seq;
    events.push(o as unknown as InspectEvent);
  }
  if (events.length === 0) throw new UsageError(`${file}: no events (an empty file)`);
  return events;
}
