/**
 * The causal chain behind a finding, from synthetic event streams: only what
 * precedes the failure, in seq order with times, and the decisive step found
 * from the events alone (a check that trusted an unrooted path, else the end of
 * the last root, else the deletion).
 */
import { describe, expect, it } from 'vitest';
import { findingsFrom } from '../../../src/actors/findings.js';
import type { InspectBody, InspectEvent } from '../../../src/messages/inspect.js';
import type { CausalStep } from '../../../src/messages/result.js';

const HOSTS = '/nix/store/91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv';
const OTHER = '/nix/store/6yx8chbrk3pi2f0g6vdg58dz3ll87lhi-lib-1.drv';
const NOT_VALID = `path '${HOSTS}' is not valid`;

/** A stream under construction: seq in call order, 1 ms apart. */
class Stream {
  readonly events: InspectEvent[] = [];
  add(pid: number, actor: string, body: InspectBody): number {
    const seq = this.events.length;
    this.events.push({ ...body, seq, t: (seq + 1) * 1000, thread: 0, pid, actor });
    return seq;
  }
  start(pid: number, name: string, role: 'evaluator' | 'daemonWorker' | 'gc', parent?: number): void {
    this.add(pid, name, { type: 'inspect.process.start', role, name, ...(parent !== undefined ? { parent } : {}) });
  }
  root(pid: number, actor: string, path = HOSTS): number {
    return this.add(pid, actor, { type: 'inspect.tempRoot.add', path, via: 'file' });
  }
  exit(pid: number, actor: string, cause: 'normal' | 'error' = 'normal', error?: string): number {
    return this.add(pid, actor, { type: 'inspect.process.exit', cause, heldLocks: 0, roots: [], ...(error ? { error } : {}) });
  }
  check(pid: number, actor: string, o: { valid?: boolean; rooted?: boolean; path?: string; site?: string; then?: string; sw?: boolean } = {}): number {
    return this.add(pid, actor, {
      type: 'inspect.check', check: 'isValidPath', site: o.site ?? 'writeDerivation', path: o.path ?? HOSTS, valid: o.valid ?? true, rooted: o.rooted ?? false,
      then: o.then ?? 'returned early without a temp root', ...(o.sw === false ? {} : { switch: { name: 'writeDerivation', value: 'early-return-no-root' } }),
    });
  }
  delete(pid: number, actor: string, gcRun: string, path = HOSTS): number {
    return this.add(pid, actor, { type: 'inspect.gc.delete', gcRun, path, bytes: 1024 });
  }
  /** E's worker fails addToStore with Nix's text, E exits with it, the coordinator records the finding. */
  fail(client: number, clientName: string, worker: number, workerName: string, message = NOT_VALID): { op: number; finding: number } {
    const op = this.add(worker, workerName, { type: 'inspect.op', op: 'daemon.addToStore', path: 'nixos-test-1.drv', result: 'error', error: message, id: 6 });
    this.add(client, clientName, { type: 'inspect.client.reply', op: 'daemon.addToStore', id: 6, result: 'error', error: message });
    this.exit(client, clientName, 'error', message);
    const finding = this.add(client, clientName, { type: 'inspect.finding', kind: 'invalid-reference', message, path: HOSTS });
    return { op, finding };
  }
}

const chainOf = (s: Stream, i = 0): readonly CausalStep[] => findingsFrom(s.events)[i]!.chain;
const decisive = (c: readonly CausalStep[]): CausalStep[] => c.filter((x) => x.decisive);

/** pr-15158's shape: X's worker writes hosts.drv and exits; E1 trusts it unrooted; E1's worker's auto-GC deletes it. */
function pr15158(o: { check?: boolean; lateEvents?: boolean } = {}): { s: Stream; at: Record<string, number> } {
  const s = new Stream();
  const at: Record<string, number> = {};
  s.start(1000, 'X', 'evaluator');
  s.start(1003, 'W(X)', 'daemonWorker', 1000);
  at['root'] = s.root(1003, 'W(X)');
  s.exit(1000, 'X');
  at['unlink'] = s.add(1003, 'W(X)', { type: 'inspect.tempRoots.unlink', file: 1003, reason: 'destructor' });
  at['exit'] = s.exit(1003, 'W(X)');
  s.start(1001, 'E1', 'evaluator');
  s.start(1004, 'W(E1)', 'daemonWorker', 1001);
  if (o.check !== false) at['check'] = s.check(1001, 'E1');
  s.root(1004, 'W(E1)', OTHER);
  at['delete'] = s.delete(1004, 'gc-thread(W(E1))', 'auto-gc@W(E1)#2');
  if (o.lateEvents) {
    // Between the worker's failed op and the finding: a new root and a stale-file removal that cannot be causes.
    s.start(1005, 'W(E2)', 'daemonWorker', 1002);
    at['failOp'] = s.add(1004, 'W(E1)', { type: 'inspect.op', op: 'daemon.addToStore', path: 'nixos-test-1.drv', result: 'error', error: NOT_VALID, id: 6 });
    at['late'] = s.root(1005, 'W(E2)');
    s.add(1005, 'gc-thread(W(E2))', { type: 'inspect.tempRoots.stale', file: 1003, gcRun: 'auto-gc@W(E2)#3' });
    s.exit(1001, 'E1', 'error', NOT_VALID);
    at['finding'] = s.add(1001, 'E1', { type: 'inspect.finding', kind: 'invalid-reference', message: NOT_VALID, path: HOSTS });
  } else Object.assign(at, s.fail(1001, 'E1', 1004, 'W(E1)'));
  return { s, at };
}

describe('causalChain: the decisive check', () => {
  it('names the check that trusted the path unrooted, with its site, what it did next and the switch', () => {
    const { s, at } = pr15158();
    const c = chainOf(s);
    const d = decisive(c);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ seq: at['check'], t: (at['check']! + 1) * 1000, pid: 1001, actor: 'E1', decisive: true });
    expect(d[0]!.what).toBe(`E1's writeDerivation found '${HOSTS}' valid and returned early without a temp root, because writeDerivation=early-return-no-root on this profile`);
  });

  it('keeps the rest of the story in seq order: last root, unlink, exit, check, deletion, failed op, failure', () => {
    const { s, at } = pr15158();
    const c = chainOf(s);
    expect(c.map((x) => x.seq)).toEqual([at['root'], at['unlink'], at['exit'], at['check'], at['delete'], at['op'], at['finding']]);
    expect(c.map((x) => x.t)).toEqual(c.map((x) => (x.seq + 1) * 1000));
    expect(c[0]!.what).toBe(`W(X) (pid 1003), daemon worker of X (pid 1000) last added a temp root for '${HOSTS}'`);
    expect(c[1]!.what).toBe('W(X) (pid 1003), daemon worker of X (pid 1000) unlinked its temp-roots file temproots/1003 (destructor)');
    expect(c[2]!.what).toBe('W(X) (pid 1003), daemon worker of X (pid 1000) exited (normal); its temp roots stopped protecting anything');
    expect(c[4]!.what).toBe(`GC run auto-gc@W(E1)#2 (pid 1004) deleted '${HOSTS}'`);
    expect(c[5]!.what).toBe(`W(E1) (pid 1004), daemon worker of E1 (pid 1001): daemon.addToStore 'nixos-test-1.drv' failed: ${NOT_VALID}`);
    expect(c[6]!.what).toBe(`E1 (pid 1001) failed: ${NOT_VALID}`);
  });

  it('ignores checks that were rooted, found the path invalid, were about another path, or came after the deletion', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.check(1001, 'E1', { rooted: true });
    s.check(1001, 'E1', { valid: false });
    s.check(1001, 'E1', { path: OTHER });
    const del = s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    s.check(1001, 'E1');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    const c = chainOf(s);
    expect(c.filter((x) => x.what.includes('found'))).toEqual([]);
    // Nobody ever rooted it: the deletion itself is what decided it.
    expect(decisive(c)).toEqual([expect.objectContaining({ seq: del, what: `GC run gc#1 (pid 1004) deleted '${HOSTS}'; no process had temp-rooted it` })]);
  });

  it('prefers the failing process’s own check (or its worker’s) to a later one by another process', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.start(1002, 'E2', 'evaluator');
    const own = s.check(1004, 'W(E1)', { site: 'ensurePath', then: 'returned without rooting it', sw: false });
    s.check(1002, 'E2');
    s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    expect(decisive(chainOf(s))).toEqual([expect.objectContaining({ seq: own, what: `W(E1)'s ensurePath found '${HOSTS}' valid and returned without rooting it` })]);
  });

  it('falls back to another process’s check when the failing process made none', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.start(1002, 'E2', 'evaluator');
    const theirs = s.check(1002, 'E2');
    s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    expect(decisive(chainOf(s)).map((x) => x.seq)).toEqual([theirs]);
  });

  it('does not reach back past an earlier deletion of the same path (an earlier life of it)', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.start(1003, 'W(X)', 'daemonWorker');
    s.check(1001, 'E1');
    s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    const root = s.root(1003, 'W(X)');
    const exit = s.exit(1003, 'W(X)');
    s.delete(1004, 'gc-thread(W(E1))', 'gc#2');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    const c = chainOf(s);
    expect(c.some((x) => x.what.includes('gc#1'))).toBe(false);
    expect(c.find((x) => x.seq === root)?.what).toMatch(/last added a temp root/);
    expect(decisive(c).map((x) => x.seq)).toEqual([exit]);
  });
});

describe('causalChain: only what precedes the failure', () => {
  it('leaves out events between the failing op and the finding, and every event after the finding', () => {
    const { s, at } = pr15158({ lateEvents: true });
    s.root(1005, 'W(E2)');
    s.exit(1004, 'W(E1)');
    const c = chainOf(s);
    expect(c.at(-1)!.seq).toBe(at['finding']);
    expect(c.at(-2)!.seq).toBe(at['failOp']);
    expect(c.slice(0, -2).every((x) => x.seq < at['failOp']!)).toBe(true);
    expect(c.some((x) => x.seq === at['late'] || /stale/.test(x.what))).toBe(false);
    expect(c.filter((x) => /last added a temp root/.test(x.what)).map((x) => x.seq)).toEqual([at['root']]);
  });

  it('a rooter that exits only after the failure gets no exit step, and its root is not said to have ended', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.start(1003, 'W(X)', 'daemonWorker');
    s.root(1003, 'W(X)');
    const del = s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    s.exit(1003, 'W(X)');
    s.add(1004, 'gc-thread(W(E1))', { type: 'inspect.tempRoots.stale', file: 1003, gcRun: 'gc#2' });
    const c = chainOf(s);
    expect(c.some((x) => /exited|stale/.test(x.what) && x.pid === 1003)).toBe(false);
    expect(decisive(c)).toEqual([expect.objectContaining({ seq: del, what: `GC run gc#1 (pid 1004) deleted '${HOSTS}' while W(X) (pid 1003), which had temp-rooted it, was still running` })]);
  });

  it('a rooter that exits after the deletion but before the failure is not part of the cause', () => {
    const s = new Stream();
    s.start(1001, 'E1', 'evaluator');
    s.start(1004, 'W(E1)', 'daemonWorker', 1001);
    s.start(1003, 'W(X)', 'daemonWorker');
    s.root(1003, 'W(X)');
    s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    s.exit(1003, 'W(X)');
    s.fail(1001, 'E1', 1004, 'W(E1)');
    expect(chainOf(s).some((x) => x.what.includes('exited'))).toBe(false);
  });
});

describe('causalChain: no check, so the decisive fact is the end of the last root', () => {
  it('instantiate-then-realise: the instantiating process exited before anyone else rooted the drv', () => {
    const s = new Stream();
    s.start(1000, 'I', 'evaluator');
    s.start(1003, 'W(I)', 'daemonWorker', 1000);
    s.root(1003, 'W(I)');
    s.exit(1000, 'I');
    const exit = s.exit(1003, 'W(I)');
    s.start(1001, 'R', 'evaluator');
    s.start(1004, 'W(R)', 'daemonWorker', 1001);
    s.start(1006, 'GC', 'gc');
    const stale = s.add(1006, 'GC', { type: 'inspect.tempRoots.stale', file: 1003, gcRun: 'GC#1' });
    s.delete(1006, 'GC', 'GC#1');
    s.check(1004, 'W(R)', { site: 'build.loadDerivation', valid: false, then: 'threw', sw: false });
    const msg = `cannot build missing derivation '${HOSTS}'`;
    s.fail(1001, 'R', 1004, 'W(R)', msg);
    const c = chainOf(s);
    expect(decisive(c)).toEqual([expect.objectContaining({
      seq: exit,
      what: `W(I) (pid 1003), daemon worker of I (pid 1000) exited (normal) before any other process temp-rooted '${HOSTS}': from then on nothing protected it`,
    })]);
    expect(c.find((x) => x.seq === stale)?.what).toBe('GC run GC#1 (pid 1006) removed the stale temp-roots file temproots/1003');
    expect(c.at(-1)!.what).toBe(`R (pid 1001) failed: ${msg}`);
  });

  it('an owner that unlinked its file before exiting ended the protection at the unlink', () => {
    const { s, at } = pr15158({ check: false });
    const c = chainOf(s);
    expect(decisive(c).map((x) => x.seq)).toEqual([at['unlink']]);
    expect(decisive(c)[0]!.what).toMatch(/unlinked its temp-roots file temproots\/1003 \(destructor\) before any other process temp-rooted/);
    expect(c.find((x) => x.seq === at['exit'])!.decisive).toBeUndefined();
  });
});

describe('causalChain: findings that are not a client failing', () => {
  it('a GC-safety violation: the deletion while the rooter ran is decisive, and the checker reports, not fails', () => {
    const s = new Stream();
    s.start(1003, 'W(X)', 'daemonWorker');
    s.start(1004, 'W(E1)', 'daemonWorker');
    s.root(1003, 'W(X)');
    const del = s.delete(1004, 'gc-thread(W(E1))', 'gc#1');
    const message = `GC safety violated: deleted '${HOSTS}' although it is in temproots/1003 of live process 1003`;
    s.add(1004, 'gc-thread(W(E1))', { type: 'inspect.finding', kind: 'gc-safety', message, path: HOSTS });
    const c = chainOf(s);
    expect(decisive(c).map((x) => x.seq)).toEqual([del]);
    expect(c.at(-1)!.what).toBe(`gc-thread(W(E1)) (pid 1004) reported: ${message}`);
  });

  it('a GC-safety violation reported as the path goes, before its deletion event: the report is decisive, the deletion left out', () => {
    const s = new Stream();
    s.start(1003, 'W(X)', 'daemonWorker');
    s.start(1006, 'G', 'gc');
    s.root(1003, 'W(X)');
    const message = `GC safety violated: deleted '${HOSTS}' although it is in temproots/1003 of live process 1003`;
    const report = s.add(1006, 'G', { type: 'inspect.finding', kind: 'gc-safety', message, path: HOSTS });
    s.delete(1006, 'G', 'G#1');
    const c = chainOf(s);
    expect(c.some((x) => /deleted '/.test(x.what) && !x.what.includes('violated'))).toBe(false);
    expect(decisive(c)).toEqual([expect.objectContaining({ seq: report, what: `G (pid 1006) reported: ${message}` })]);
  });

  it('a finding with no path (a deadlock) has an empty chain', () => {
    const s = new Stream();
    s.add(0, 'watchdog', { type: 'inspect.finding', kind: 'deadlock', message: 'no progress', path: '' });
    expect(chainOf(s)).toEqual([]);
  });

  it('the chain is plain data: it survives a JSON round trip unchanged, with at most one decisive step', () => {
    const { s } = pr15158();
    const c = chainOf(s);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.filter((x) => 'decisive' in x)).toHaveLength(1);
  });

  it('takes the stream in any order: findings are built from it sorted by seq', () => {
    const { s } = pr15158();
    const shuffled = [...s.events].reverse();
    expect(findingsFrom(shuffled)).toEqual(findingsFrom(s.events));
  });
});
