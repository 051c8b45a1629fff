/** A causal chain as text (time, then the decisive flag) and as JSON. */
import { describe, expect, it } from 'vitest';
import type { CausalStep } from '../../../src/messages/result.js';
import { chainJson, chainLines } from '../../../src/report/index.js';

const chain: CausalStep[] = [
  { seq: 3, t: 12_345, pid: 1003, actor: 'W(X)', what: 'W(X) (pid 1003) last added a temp root for p' },
  { seq: 9, t: 263_071, pid: 1001, actor: 'E1', what: "E1's writeDerivation found p valid", decisive: true },
  { seq: 12, t: 1_234_567, pid: 1001, actor: 'E1', what: 'E1 (pid 1001) failed: boom' },
];

describe('chainLines', () => {
  it('prints each step with its time in ms since run start, and flags the decisive one', () => {
    expect(chainLines(chain)).toEqual([
      '  - [  12.345 ms] W(X) (pid 1003) last added a temp root for p',
      "  - [ 263.071 ms] decisive: E1's writeDerivation found p valid",
      '  - [1234.567 ms] E1 (pid 1001) failed: boom',
    ]);
  });
});

describe('chainJson', () => {
  it('keeps seq, time, pid, actor and words, and decisive only where set', () => {
    const j = JSON.parse(JSON.stringify(chainJson(chain))) as Record<string, unknown>[];
    expect(j[0]).toEqual({ seq: 3, t: 12_345, pid: 1003, actor: 'W(X)', what: 'W(X) (pid 1003) last added a temp root for p' });
    expect(j[1]).toMatchObject({ seq: 9, decisive: true });
    expect(j.filter((x) => 'decisive' in x)).toHaveLength(1);
  });
});
