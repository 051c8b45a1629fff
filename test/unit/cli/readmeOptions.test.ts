/** README's option tables are the ones rendered from the CLI's option specs (`npm run readme` rewrites them). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { withOptionTables } from '../../../src/cli/help.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

it('README.md has an option table for run, check, explore, sweep, merge and versions', () => {
  for (const c of ['run', 'check', 'explore', 'sweep', 'merge', 'versions']) expect(readme).toContain(`<!-- options:${c}:begin -->\n| option of \`${c}\``);
});

it('every option table is the one the specs render', () => {
  expect(withOptionTables(readme, COMMANDS)).toBe(readme);
});
