/** README's table of input limits is the one rendered from limits.ts (`npm run readme` rewrites it). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { LIMITS, limitsMarkdown } from '../../../src/scenarios/file/limits.js';

it('README.md shows the table of input limits, one row per limit', () => {
  const text = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const m = /<!-- limits:begin -->\n([\s\S]*?)\n<!-- limits:end -->/.exec(text);
  expect(m?.[1]).toBe(limitsMarkdown());
  expect(limitsMarkdown().split('\n')).toHaveLength(2 + Object.keys(LIMITS).length);
});
