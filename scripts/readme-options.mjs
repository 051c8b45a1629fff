// Rewrites README.md's option tables from the CLI's option specs (run after `npm run build`): `npm run readme`.
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMANDS } from '../dist/src/cli/commands.js';
import { withOptionTables } from '../dist/src/cli/help.js';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, withOptionTables(readFileSync(file, 'utf8'), COMMANDS));
