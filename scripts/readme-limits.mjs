// Rewrites README.md's table of input limits from src/scenarios/file/limits.ts (run after `npm run build`): `npm run readme`.
import { readFileSync, writeFileSync } from 'node:fs';
import { limitsMarkdown } from '../dist/src/scenarios/file/limits.js';

const file = new URL('../README.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const begin = '<!-- limits:begin -->';
const end = '<!-- limits:end -->';
const i = text.indexOf(begin);
const j = text.indexOf(end);
if (i < 0 || j < i) throw new Error(`README.md has no ${begin} … ${end} block`);
writeFileSync(file, `${text.slice(0, i + begin.length)}\n${limitsMarkdown()}\n${text.slice(j)}`);
