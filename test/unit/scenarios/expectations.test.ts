/** Expectations against observed runs: finding kinds, kept and deleted paths, and the words for the table. */
import { describe, expect, it } from 'vitest';
import type { Finding, RunResult } from '../../../src/messages/result.js';
import { compare, describeExpectation, describeObserved, type Expectation } from '../../../src/scenarios/file/expectations.js';

function result(seed: number, kinds: Finding['kind'][], onDisk: string[] = []): RunResult {
  return {
    scenario: 's',
    profile: 'nix-2.33',
    seed,
    findings: kinds.map((kind) => ({ kind, t: 0, message: `boom ${kind}`, path: '', pid: 1, actor: 'E1', chain: [] })),
    processes: 1,
    threads: { distinct: 1, maxConcurrent: 1 },
    storeOps: 0,
    wallMs: 0,
    events: 0,
    finalStore: { valid: [], onDisk },
  };
}

const none: Expectation = { findings: 'none', kept: [], deleted: [], errors: [] };
const invalidRef: Expectation = { findings: ['invalid-reference'], kept: [], deleted: [], errors: [] };

describe('compare', () => {
  it('none: ok without findings, a mismatch naming the first unexpected finding otherwise', () => {
    expect(compare(none, [result(1, []), result(2, [])])).toMatchObject({ ok: true, reasons: [], runs: 2 });
    const v = compare(none, [result(1, []), result(2, ['gc-aborted', 'client-error'])]);
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual(['seed 2: unexpected gc-aborted in E1: boom gc-aborted']);
    expect(describeObserved(v)).toBe('gc-aborted 1/2+client-error 1/2');
  });

  it('listed kinds must each occur in every run; other kinds may occur too', () => {
    expect(compare(invalidRef, [result(1, ['invalid-reference', 'closure'])]).ok).toBe(true);
    const v = compare(invalidRef, [result(1, ['invalid-reference']), result(7, ['closure'])]);
    expect(v.reasons).toEqual(['seed 7: no invalid-reference finding']);
  });

  it('null findings: only the store is checked', () => {
    const e: Expectation = { findings: null, kept: [{ ref: 'out:a', baseName: 'aaa-a' }], deleted: [{ ref: 'drv:b', baseName: 'bbb-b.drv' }], errors: [] };
    expect(compare(e, [result(1, ['deadlock'], ['aaa-a'])]).ok).toBe(true);
    expect(compare(e, [result(1, [], ['bbb-b.drv'])]).reasons).toEqual([
      'seed 1: expected kept but deleted: out:a; expected deleted but still on disk: drv:b',
    ]);
  });

  it('errors: each text must occur in some finding message', () => {
    const e: Expectation = { findings: null, kept: [], deleted: [], errors: ['unexpected end-of-file'] };
    const r = result(1, ['client-error']);
    expect(compare(e, [r]).reasons).toEqual(["seed 1: no finding says 'unexpected end-of-file'"]);
    const withText = { ...r, findings: r.findings.map((f) => ({ ...f, message: 'error: unexpected end-of-file' })) };
    expect(compare(e, [withText]).ok).toBe(true);
  });

  it('describes expectations and observations for the tables', () => {
    expect(describeExpectation(undefined)).toBe('-');
    expect(describeExpectation(none)).toBe('none');
    expect(describeExpectation({ findings: ['invalid-reference', 'gc-aborted'], kept: [], deleted: [], errors: [] })).toBe('invalid-reference+gc-aborted');
    expect(describeExpectation({ findings: null, kept: [{ ref: 'a', baseName: 'a' }], deleted: [], errors: [] })).toBe('any; keeps 1');
    expect(describeObserved(compare(invalidRef, [result(1, ['invalid-reference'])]))).toBe('invalid-reference');
    expect(describeObserved(compare(none, [result(1, [])]))).toBe('none');
  });
});
