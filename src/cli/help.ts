/**
 * `--help` and the README's option tables, rendered from the same specs the
 * parser reads (spec.ts, commands.ts).
 */
import type { CommandSpec, OptionSpec } from './spec.js';

const WIDTH = 100;

/** `--profile P[,P…]`, `-v, --verbose`, `--roots-report [FILE]`. */
export function optionLabel(name: string, o: OptionSpec): string {
  const value = o.value === undefined ? '' : o.optionalValue ? ` [${o.value}]` : ` ${o.value}`;
  return `${o.short ? `-${o.short}, ` : ''}--${name}${value}`;
}

/** The doc with its default and runtime, as one text. */
export function optionText(o: OptionSpec): string {
  const notes = [o.default !== undefined ? `default ${o.default}` : '', o.only ? `${o.only.runtime} runtime only` : '', o.multiple && o.value !== undefined ? 'repeatable' : ''].filter(Boolean);
  return notes.length > 0 ? `${o.doc} (${notes.join('; ')})` : o.doc;
}

/** Words filled into lines that fit in `width` columns after an indent of `indent`. */
export function wrap(text: string, indent: number, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function usageLines(spec: CommandSpec): string[] {
  const opts = Object.keys(spec.options).length > 0 ? ' [options]' : '';
  return spec.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}rootrace ${spec.name}${u ? ` ${u}` : ''}${opts}`);
}

/** `rootrace <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`rootrace ${spec.name}: ${spec.summary}`, '', ...usageLines(spec)];
  const entries = Object.entries(spec.options);
  if (entries.length > 0) {
    const labels = entries.map(([n, o]) => optionLabel(n, o));
    const w = Math.min(Math.max(...labels.map((l) => l.length)) + 2, 30);
    lines.push('', 'options:');
    entries.forEach(([, o], i) => {
      const label = labels[i]!;
      const text = wrap(optionText(o), w + 2);
      if (label.length + 2 > w) lines.push(`  ${label}`, ...text.map((t) => `  ${' '.repeat(w)}${t}`));
      else lines.push(...text.map((t, j) => `  ${(j === 0 ? label : '').padEnd(w)}${t}`));
    });
    lines.push(`  ${'-h, --help'.padEnd(w)}this help`);
  }
  if (spec.about) {
    for (const para of spec.about.split(/\n\n/)) lines.push('', ...wrap(para, 0));
  }
  if (spec.examples && spec.examples.length > 0) lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** The README's option table of a command: one row per option, from the spec. */
export function optionsMarkdown(spec: CommandSpec): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  // Outside code spans, `<profile>` would be read as an HTML tag.
  const rows = Object.entries(spec.options).map(([n, o]) => `| \`${esc(optionLabel(n, o))}\` | ${esc(optionText(o)).replace(/</g, '&lt;')} |`);
  return [`| option of \`${spec.name}\` | meaning |`, '| --- | --- |', ...rows].join('\n');
}

/**
 * The README with each `<!-- options:<command>:begin -->` … `:end -->` block
 * rendered from that command's spec (`npm run readme`; a test fails when stale).
 */
export function withOptionTables(readme: string, specs: readonly CommandSpec[]): string {
  return readme.replace(/(<!-- options:([\w-]+):begin -->)[\s\S]*?(<!-- options:\2:end -->)/g, (all, begin: string, name: string, end: string) => {
    const spec = specs.find((s) => s.name === name);
    return spec ? `${begin}\n${optionsMarkdown(spec)}\n${end}` : all;
  });
}
