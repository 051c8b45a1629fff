/** The NDJSON stream: round trip, and bad input named by file and line (a usage error: exit 2). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRootraceError } from '../../../src/messages/errors.js';
import { EVENTS_SCHEMA_VERSION, parseEvents, toNdjson } from '../../../src/report/index.js';

const fixture = fileURLToPath(new URL('../../fixtures/events/hand-written.ndjson', import.meta.url));
const text = readFileSync(fixture, 'utf8');

describe('toNdjson / parseEvents', () => {
  it('round-trips a stream exactly; schemaVersion only on the first line', () => {
    const events = parseEvents(text, 'f');
    const again = toNdjson(events);
    expect(again).toBe(text);
    const lines = again.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ schemaVersion: EVENTS_SCHEMA_VERSION, type: 'inspect.run.start' });
    expect(lines.slice(1).every((l) => !l.includes('schemaVersion'))).toBe(true);
    expect(events[0]).not.toHaveProperty('schemaVersion');
  });

  it('skips blank lines', () => {
    expect(parseEvents(`\n${text}\n\n`, 'f')).toHaveLength(text.trimEnd().split('\n').length);
  });

  const lines = text.trimEnd().split('\n');
  const first = lines[0]!;
  const second = text.split('\n')[1]!;
  it.each([
    ['an empty file', '', /^e\.ndjson: no events/],
    ['a line that is not JSON', `${first}\n{"type": oops\n`, /^e\.ndjson:2: not valid JSON/],
    ['an array instead of an object', `${first}\n[1,2]\n`, /^e\.ndjson:2: expected one JSON object per line/],
    ['no schemaVersion on the first line', `${second}\n`, /^e\.ndjson:1: the first line must carry schemaVersion/],
    ['a newer schema', `${first.replace('"schemaVersion":1', '"schemaVersion":99')}\n`, /^e\.ndjson:1: unsupported schemaVersion 99/],
    ['an unknown event type', `${first}\n${second.replace('inspect.process.start', 'inspect.bogus')}\n`, /^e\.ndjson:2: unknown event type 'inspect\.bogus'/],
    ['a missing header field', `${first}\n${second.replace(/"pid":\d+,/, '')}\n`, /^e\.ndjson:2: field 'pid' must be a number/],
    ['seq going backwards', `${first}\n${second}\n${second}\n`, /^e\.ndjson:3: seq 1 does not increase/],
    ['two runs in one file', `${first}\n${first.replace('"seq":0', '"seq":9')}\n`, /^e\.ndjson:2: a second run header/],
    ['a stream cut at a line end (no run.end)', `${lines.slice(0, 5).join('\n')}\n`, /^e\.ndjson:5: the stream ends here without inspect\.run\.end: it is truncated \(5 events read\)/],
    ['a stream cut inside a line', text.slice(0, text.indexOf('\n', text.length / 2) - 7), new RegExp(`^e\\.ndjson:${text.slice(0, text.indexOf('\n', text.length / 2)).split('\n').length}: not valid JSON`)],
    ['a stream whose head was cut', `${lines.slice(3).join('\n')}\n`.replace(/^\{/, '{"schemaVersion":1,'), /^e\.ndjson:1: the first event must be inspect\.run\.start/],
    ['an event without a field of its type', `${first}\n${second.replace(/"name":"[^"]*",?/, '')}\n`, /^e\.ndjson:2: inspect\.process\.start: field 'name' must be a string/],
    ['a field of the wrong type', `${first}\n${second.replace(/"name":"[^"]*"/, '"name":7')}\n`, /^e\.ndjson:2: inspect\.process\.start: field 'name' must be a string/],
    ['an event after run.end', `${text}${second.replace(/"seq":\d+/, '"seq":100000')}\n`, /^e\.ndjson:\d+: inspect\.process\.start after inspect\.run\.end/],
  ])('rejects %s with a usage error naming file and line', (_what, input, re) => {
    let err: unknown;
    try {
      parseEvents(input, 'e.ndjson');
    } catch (e) {
      err = e;
    }
    expect(isRootraceError(err, 'rootrace.usage')).toBe(true);
    expect((err as Error).message).toMatch(re);
  });
});
