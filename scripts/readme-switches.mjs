// Rewrites README.md's switch table from the profiles (run after `npm run build`): `npm run readme`.
import { readFileSync, writeFileSync } from 'node:fs';
import { switchTableMarkdown } from '../dist/src/scenarios/index.js';

const file = new URL('../README.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const begin = '<!-- switches:begin -->';
const end = '<!-- switches:end -->';
const i = text.indexOf(begin);
const j = text.indexOf(end);
if (i < 0 || j < i) throw new Error(`README.md has no ${begin} … ${end} block`);
writeFileSync(file, `${text.slice(0, i + begin.length)}\n${switchTableMarkdown()}\n${text.slice(j)}`);
