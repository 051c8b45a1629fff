/**
 * Causal chains on recorded runs (test/fixtures/events): the real pr-15158
 * stream on nix-2.33, recorded before the `inspect.check` emits, so the
 * decisive step is the end of W(X)'s protection; with a check spliced in where
 * E1 asked about the path, the check becomes decisive.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findingsFrom } from '../../../src/actors/findings.js';
import type { InspectEvent } from '../../../src/messages/inspect.js';
import { parseEvents } from '../../../src/report/index.js';

const load = (name: string): InspectEvent[] => parseEvents(readFileSync(fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url)), 'utf8'), name);

describe('pr-15158 on nix-2.33, recorded', () => {
  const events = load('pr-15158-nix-2.33.ndjson');
  const [f] = findingsFrom(events);

  it('has one finding whose chain stops at E1\'s worker\'s failed addToStore and E1\'s failure', () => {
    expect(findingsFrom(events)).toHaveLength(1);
    const failedOp = events.find((e) => e.type === 'inspect.op' && e.result === 'error')!;
    const c = f!.chain;
    expect(c.at(-2)).toMatchObject({ seq: failedOp.seq, actor: 'W(E1)' });
    expect(c.at(-1)).toMatchObject({ actor: 'E1', what: `E1 (pid 1001) failed: ${f!.message}` });
    expect(c.slice(0, -2).every((x) => x.seq < failedOp.seq)).toBe(true);
    expect(c.map((x) => x.seq)).toEqual([...c.map((x) => x.seq)].sort((a, b) => a - b));
    for (const x of c) expect(x.t).toBe(events.find((e) => e.seq === x.seq)!.t);
  });

  it('names W(X)\'s root, not W(E2)\'s re-add after the failure, and ends W(X)\'s protection at its unlink', () => {
    const c = f!.chain;
    expect(c[0]!.what).toMatch(/^W\(X\) \(pid 1003\), daemon worker of X \(pid 1000\) last added a temp root for '\/nix\/store\/[0-9a-z]{32}-lib-1\.drv'$/);
    expect(c.some((x) => x.actor === 'W(E2)')).toBe(false);
    const d = c.filter((x) => x.decisive);
    expect(d).toHaveLength(1);
    expect(d[0]!.what).toMatch(/^W\(X\) \(pid 1003\), daemon worker of X \(pid 1000\) unlinked its temp-roots file temproots\/1003 \(destructor\) before any other process temp-rooted/);
    expect(c.find((x) => /deleted/.test(x.what))!.what).toMatch(/^GC run auto-gc@W\(E1\)#2 \(pid 1004\) deleted '\/nix\/store\/[0-9a-z]{32}-lib-1\.drv'$/);
  });

  it('with E1\'s writeDerivation check spliced in, that check is the decisive step', () => {
    const reply = events.find((e) => e.type === 'inspect.op.start' && e.actor === 'W(E1)' && e.op === 'daemon.isValidPath' && e.path === f!.path)!;
    const check: InspectEvent = {
      seq: reply.seq + 0.5, t: reply.t, thread: 2, pid: 1001, actor: 'E1',
      type: 'inspect.check', check: 'isValidPath', site: 'writeDerivation', path: f!.path, valid: true, rooted: false,
      then: 'returned early without a temp root', switch: { name: 'writeDerivation', value: 'early-return-no-root' },
    };
    const d = findingsFrom([...events, check])[0]!.chain.filter((x) => x.decisive);
    expect(d).toEqual([expect.objectContaining({ seq: check.seq, actor: 'E1' })]);
    expect(d[0]!.what).toBe(`E1's writeDerivation found '${f!.path}' valid and returned early without a temp root, because writeDerivation=early-return-no-root on this profile`);
  });
});

describe('pr-15158 on nix-2.34, recorded', () => {
  it('has no finding, so no chain', () => {
    expect(findingsFrom(load('pr-15158-nix-2.34.ndjson'))).toEqual([]);
  });
});
