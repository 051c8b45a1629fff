/** What the trace shows for a recorded pr-15158 run: tracks, root lifetimes, GC slices, arrows, counters. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvents, renderTrace } from '../../../src/report/index.js';

interface Ev { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; cat?: string; id?: string; args?: Record<string, unknown>; bind_id?: string; flow_in?: boolean; flow_out?: boolean }
const load = (name: string) => {
  const events = parseEvents(readFileSync(fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url)), 'utf8'), name);
  const doc = JSON.parse(renderTrace(events)) as { traceEvents: Ev[]; otherData: Record<string, unknown> };
  return { events, doc, evs: doc.traceEvents };
};

describe('trace of pr-15158 on nix-2.33', () => {
  const { events, doc, evs } = load('pr-15158-nix-2.33.ndjson');
  const threadName = (pid: number, tid: number) => evs.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.tid === tid)?.args?.['name'];

  it('names the run in otherData and gives every actor a named track', () => {
    const h = events[0]!;
    expect(doc.otherData).toMatchObject({ scenario: 'pr-15158', profile: 'nix-2.33', seed: h.type === 'inspect.run.start' ? h.seed : -1 });
    const actors = new Set(events.filter((e) => e.pid !== 0).map((e) => e.actor));
    const named = new Set(evs.filter((e) => e.name === 'thread_name').map((e) => e.args?.['name']));
    for (const a of actors) expect(named).toContain(a);
  });

  it('hosts.drv\'s temp root in W(X) is a span from its addTempRoot to W(X)\'s unlink at exit', () => {
    const b = evs.find((e) => e.ph === 'b' && e.cat === 'temp-root' && e.name.endsWith('-hosts.drv') && threadName(e.pid, e.tid) === 'W(X)')!;
    const e = evs.find((x) => x.ph === 'e' && x.id === b.id)!;
    expect(e.args?.['ended']).toBe('file unlinked (destructor)');
    expect(e.ts).toBeGreaterThan(b.ts);
  });

  it('the deleting GC is a slice with nested phases, and the deletion an instant inside it', () => {
    const del = evs.find((e) => e.ph === 'i' && e.name.startsWith('delete ') && e.name.endsWith('-hosts.drv'))!;
    const gc = evs.find((e) => e.ph === 'X' && e.name === `GC ${String(del.args?.['gcRun'])}`)!;
    expect(gc.pid).toBe(del.pid);
    expect(gc.tid).toBe(del.tid);
    expect(del.ts).toBeGreaterThanOrEqual(gc.ts);
    expect(del.ts).toBeLessThanOrEqual(gc.ts + gc.dur!);
    const phase = evs.find((e) => e.ph === 'X' && e.name === 'deleting garbage' && e.tid === gc.tid && e.ts >= gc.ts)!;
    expect(phase.ts + phase.dur!).toBeLessThanOrEqual(gc.ts + gc.dur!);
  });

  it('every client call that reached a worker is an arrow to its op slice and back', () => {
    const calls = evs.filter((e) => e.ph === 'X' && e.name.startsWith('call '));
    expect(calls.length).toBeGreaterThan(5);
    for (const c of calls) {
      const op = evs.find((e) => e.ph === 'X' && e.cat === 'daemon' && e.bind_id === c.bind_id)!;
      expect(op.flow_in).toBe(true);
      expect(op.ts).toBeGreaterThanOrEqual(c.ts);
      const reply = evs.find((e) => e.ph === 'X' && e.name.startsWith('reply ') && e.bind_id === c.bind_id && e.flow_in)!;
      expect(reply.pid).toBe(c.pid);
    }
  });

  it('counts live temp roots and store bytes, ending with no live root', () => {
    const roots = evs.filter((e) => e.ph === 'C' && e.name === 'live temp roots');
    expect(Math.max(...roots.map((e) => e.args!['roots'] as number))).toBeGreaterThanOrEqual(3);
    expect(roots.at(-1)!.args!['roots']).toBe(0);
    expect(evs.some((e) => e.ph === 'C' && e.name === 'store bytes')).toBe(true);
  });

  it('findings and exits are instants', () => {
    expect(evs.filter((e) => e.ph === 'i' && e.name === 'finding: invalid-reference').length).toBeGreaterThanOrEqual(1);
    expect(evs.filter((e) => e.ph === 'i' && e.name.startsWith('exit (')).length).toBe(6);
  });
});

describe('trace of pr-15158 on nix-2.34', () => {
  it('W(X)\'s leaked temp-roots file is a span from its exit to its removal as stale', () => {
    const { evs } = load('pr-15158-nix-2.34.ndjson');
    const spans = evs.filter((e) => e.cat === 'temp-roots-file');
    const b = spans.find((e) => e.ph === 'b')!;
    const e = spans.find((x) => x.ph === 'e' && x.id === b.id)!;
    expect(e.args?.['ended']).toMatch(/^removed as stale by auto-gc@W\(E\d\)#\d+$/);
  });
});
