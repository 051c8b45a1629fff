/**
 * Every trace rootrace writes is well formed for ui.perfetto.dev and
 * chrome://tracing (traceStructure.ts), and the check itself catches each
 * kind of breakage it claims to.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvents, renderTrace } from '../../../src/report/index.js';
import { checkTrace } from './traceStructure.js';

const dir = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort();

describe('the trace of every fixture stream is well formed', () => {
  it.each(fixtures)('%s', (f) => {
    const events = parseEvents(readFileSync(`${dir}${f}`, 'utf8'), f);
    const trace = renderTrace(events);
    expect(checkTrace(trace)).toEqual([]);
    // Not vacuous: it has slices, async spans and arrows to check.
    const phs = new Set((JSON.parse(trace) as { traceEvents: { ph: string }[] }).traceEvents.map((e) => e.ph));
    expect([...phs]).toEqual(expect.arrayContaining(['M', 'X', 'b', 'e', 'i', 'C']));
  });

  it('a truncated stream (the run cut short mid-op) still gives a closed, nested trace', () => {
    const events = parseEvents(readFileSync(`${dir}pr-15158-nix-2.33.ndjson`, 'utf8'), 'x');
    for (const n of [10, 40, 80, 120]) expect(checkTrace(renderTrace(events.slice(0, n)))).toEqual([]);
  });
});

const M = (pid: number, tid: number) => [
  { name: 'process_name', ph: 'M', pid, tid: pid, args: { name: 'p' } },
  { name: 'thread_name', ph: 'M', pid, tid, args: { name: 't' } },
];
const doc = (evs: unknown[]) => JSON.stringify({ traceEvents: evs });

describe('checkTrace catches', () => {
  it.each([
    ['invalid JSON', '{"traceEvents": [', /not valid JSON/],
    ['an unnamed track', doc([{ name: 'a', ph: 'i', s: 't', ts: 1, pid: 5, tid: 6 }]), /no thread_name/],
    ['time going backwards on a track', doc([...M(1, 1), { name: 'a', ph: 'i', ts: 5, pid: 1, tid: 1 }, { name: 'b', ph: 'i', ts: 4, pid: 1, tid: 1 }]), /ts 4 after 5/],
    ['overlapping slices', doc([...M(1, 1), { name: 'a', ph: 'X', ts: 0, dur: 10, pid: 1, tid: 1 }, { name: 'b', ph: 'X', ts: 5, dur: 10, pid: 1, tid: 1 }]), /overlaps 'a'/],
    ['an unclosed async span', doc([...M(1, 1), { name: 'r', cat: 'c', ph: 'b', id: '0x1', ts: 1, pid: 1, tid: 1 }]), /never closed/],
    ['an async end without begin', doc([...M(1, 1), { name: 'r', cat: 'c', ph: 'e', id: '0x1', ts: 1, pid: 1, tid: 1 }]), /without a begin/],
    ['an arrow with no origin', doc([...M(1, 1), { name: 'a', ph: 'X', ts: 0, dur: 1, pid: 1, tid: 1, bind_id: '0x9', flow_in: true }]), /before it leaves/],
    ['an arrow that never lands', doc([...M(1, 1), { name: 'a', ph: 'X', ts: 0, dur: 1, pid: 1, tid: 1, bind_id: '0x9', flow_out: true }]), /never arrives/],
  ])('%s', (_what, text, re) => {
    const problems = checkTrace(text);
    expect(problems.join('\n')).toMatch(re);
  });

  it('siblings that touch are not an overlap (Perfetto closes a slice ending where the next begins)', () => {
    expect(checkTrace(doc([...M(1, 1), { name: 'a', ph: 'X', ts: 0, dur: 5, pid: 1, tid: 1 }, { name: 'b', ph: 'X', ts: 5, dur: 5, pid: 1, tid: 1 }]))).toEqual([]);
  });
});
