/**
 * The worker-exit root-cleanup report on recorded runs: it must name who
 * wrote the path, whose exit dropped its root, which GC deleted it (and which
 * removed the stale file), and who then failed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { InspectEvent } from '../../../src/messages/inspect.js';
import { buildRootsReport, parseEvents, rootsReportText } from '../../../src/report/index.js';

const load = (name: string) => parseEvents(readFileSync(fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url)), 'utf8'), name);
const hosts = /^\/nix\/store\/[0-9a-z]{32}-hosts\.drv$/;

describe('pr-15158 on nix-2.33 (the worker unlinks its own file at exit)', () => {
  const r = buildRootsReport(load('pr-15158-nix-2.33.ndjson'));
  const wx = r.processes.find((p) => p.name === 'W(X)')!;

  it('X\'s daemon worker first wrote hosts.drv, ended normally and unlinked its file', () => {
    expect(r.run).toMatchObject({ scenario: 'pr-15158', profile: 'nix-2.33' });
    expect(wx.client).toMatchObject({ actor: 'X' });
    expect(wx.ended.cause).toBe('normal');
    expect(wx.roots.find((x) => hosts.test(x.path))).toMatchObject({ firstWrittenHere: true });
    expect(wx.file.state).toBe('unlinked-by-owner');
  });

  it('hosts.drv was deleted after that exit by an auto-GC run in a dependent\'s worker, and the dependents failed', () => {
    const d = wx.deletions.find((x) => hosts.test(x.path))!;
    expect(d.afterEnd).toBe(true);
    expect(d.gcRun).toMatch(/^auto-gc@W\(E\d\)#\d+$/);
    expect(d.by.actor).toMatch(/^gc-thread\(W\(E\d\)\)$/);
    expect(d.t).toBeGreaterThan(wx.ended.t);
    expect(d.neededBy.length).toBeGreaterThanOrEqual(1);
    for (const n of d.neededBy) {
      expect(n.name).toMatch(/^E\d$/);
      // Nix names the first invalid reference, hosts.drv or another path this GC deleted.
      expect(n.message).toMatch(/^path '\/nix\/store\/[0-9a-z]{32}-[^']+\.drv' is not valid$/);
      expect(n.how).toMatch(/^(named|referenced)$/);
      expect(n.via).toMatchObject({ op: 'daemon.addToStore', subject: expect.stringMatching(/^nixos-test-\d+\.drv$/) });
      expect(n.t).toBeGreaterThan(d.t);
    }
  });

  it('the text names all of it', () => {
    const text = rootsReportText(r);
    expect(text).toMatch(/W\(X\) \(pid \d+\), daemon worker of X \(pid \d+\): daemonWorker, ended normal at/);
    expect(text).toMatch(/-hosts\.drv {2}\(added at [\d.]+ ms via file, first written to the store here for X\)/);
    expect(text).toMatch(/by GC run auto-gc@W\(E\d\)#\d+ \(gc-thread\(W\(E\d\)\), pid \d+\)/);
    expect(text).toMatch(/-hosts\.drv\n {6}at [\d.]+ ms by GC run auto-gc@W\(E\d\)#\d+ \(gc-thread\(W\(E\d\)\), pid \d+\)\n {6}still needed by E\d \(pid \d+\), alive then: at [\d.]+ ms its daemon\.addToStore of nixos-test-\d+\.drv \(in W\(E\d\), pid \d+\)(, which references it,)? failed: path '[^']+' is not valid/);
  });
});

describe('pr-15158 on nix-2.34 (the worker\'s file leaks; the next GC removes it as stale)', () => {
  const r = buildRootsReport(load('pr-15158-nix-2.34.ndjson'));
  const wx = r.processes.find((p) => p.name === 'W(X)')!;

  it('W(X)\'s file was removed as stale by a GC run after W(X) exited; hosts.drv was not deleted', () => {
    expect(wx.file.state).toBe('removed-stale');
    if (wx.file.state !== 'removed-stale') return;
    expect(wx.file.gcRun).toMatch(/^auto-gc@W\(E\d\)#\d+$/);
    expect(wx.file.t).toBeGreaterThan(wx.ended.t);
    expect(wx.deletions.filter((d) => hosts.test(d.path))).toEqual([]);
    expect(rootsReportText(r)).toMatch(/W\(X\) .* left behind; removed as stale at [\d.]+ ms by GC run auto-gc@W\(E\d\)#\d+/);
  });
});

describe('a killed daemon worker (kill-worker on nix-2.35)', () => {
  const r = buildRootsReport(load('kill-worker-nix-2.35.ndjson'));
  const w = r.processes.find((p) => p.role === 'daemonWorker')!;

  it('ended terminated; its file went stale; the root it held was then collected by G', () => {
    expect(w.ended).toMatchObject({ cause: 'terminated', error: 'thread terminated' });
    expect(w.file).toMatchObject({ state: 'removed-stale', gcRun: 'G#1', by: { actor: 'G' } });
    expect(w.deletions).toHaveLength(1);
    expect(w.deletions[0]).toMatchObject({ gcRun: 'G#1', afterEnd: true, neededBy: [] });
  });
});

describe('hand-written edge cases', () => {
  const r = buildRootsReport(load('hand-written.ndjson'));

  it('a duplicate root is listed once; processes are in order of exit; the evaluator that failed is named', () => {
    expect(r.processes.map((p) => p.name)).toEqual(['W(C)', 'G', 'C']);
    const w = r.processes[0]!;
    expect(w.roots).toHaveLength(1);
    expect(w.deletions[0]!.neededBy).toEqual([{ pid: 2000, name: 'C', t: 4900, message: "path '/nix/store/0000000000000000000000000000000a-p1.drv' is not valid", how: 'finding' }]);
  });

  it('a deletion while the root was live is flagged, with the GC\'s own safety finding as the need', () => {
    const P = '/nix/store/0000000000000000000000000000000c-live';
    let seq = 0;
    const ev = (pid: number, actor: string, body: object): InspectEvent => ({ ...body, seq: seq++, t: seq * 10, thread: 1, pid, actor }) as InspectEvent;
    const events = [
      ev(10, 'A', { type: 'inspect.process.start', role: 'evaluator', name: 'A' }),
      ev(11, 'G', { type: 'inspect.process.start', role: 'gc', name: 'G' }),
      ev(10, 'A', { type: 'inspect.tempRoots.create', file: 10 }),
      ev(10, 'A', { type: 'inspect.tempRoot.add', path: P, via: 'file' }),
      ev(11, 'G', { type: 'inspect.finding', kind: 'gc-safety', path: P, message: `GC safety violated: deleted '${P}' although it is in temproots/10 of live process 10` }),
      ev(11, 'G', { type: 'inspect.gc.delete', gcRun: 'G#1', path: P, bytes: 1 }),
      ev(10, 'A', { type: 'inspect.process.exit', cause: 'normal', heldLocks: 1, roots: [P] }),
    ];
    const a = buildRootsReport(events).processes[0]!;
    expect(a.deletions).toEqual([{ path: P, t: 60, gcRun: 'G#1', by: { pid: 11, actor: 'G' }, afterEnd: false, neededBy: [expect.objectContaining({ pid: 10, name: 'A', how: 'gc-safety' })] }]);
    expect(rootsReportText(buildRootsReport(events))).toContain('by GC run G#1 (G, pid 11) — while this process still protected it');
  });

  it('a stream without a header or exits still reports', () => {
    expect(rootsReportText(buildRootsReport([]))).toBe('roots report\n\nno process ended\n');
  });
});
