/** README's switch table is the one rendered from the profiles (`npm run readme` rewrites it). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { switchTableMarkdown } from '../../../src/scenarios/profiles.js';

it('README.md shows the switch table of the current profiles', () => {
  const text = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const m = /<!-- switches:begin -->\n([\s\S]*?)\n<!-- switches:end -->/.exec(text);
  expect(m?.[1]).toBe(switchTableMarkdown());
});
