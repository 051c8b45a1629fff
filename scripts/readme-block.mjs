// Shared by the `npm run readme` scripts: replaces README.md's `<!-- name:begin -->` … `<!-- name:end -->` block with `markdown`.
import { readFileSync, writeFileSync } from 'node:fs';

export function rewriteReadmeBlock(name, markdown) {
  const file = new URL('../README.md', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${begin} … ${end} block`);
  writeFileSync(file, `${text.slice(0, i + begin.length)}\n${markdown}\n${text.slice(j)}`);
}
