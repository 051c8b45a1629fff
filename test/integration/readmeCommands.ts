/**
 * The `rootrace …` commands of README.md's code blocks, for the test that runs
 * them all (readme-commands.test.ts): shell blocks line by line (with `\`
 * continuations and `# comments`), `$ rootrace …` lines of output blocks, and
 * every string of a YAML block (a CI job's `run:`, a Kubernetes Job's `args`).
 */
import { parse as parseYaml } from 'yaml';

export interface ReadmeCommand {
  /** The README line of the block the command is in (1-based). */
  readonly line: number;
  /** The command as a shell line, `rootrace …` (`npx rootrace` and `node dist/src/cli/main.js` read as `rootrace`). */
  readonly text: string;
  /** Values for `${{ matrix.x }}` placeholders in its CI job (`strategy.matrix`), else empty. */
  readonly matrix: Readonly<Record<string, readonly (string | number)[]>>;
}

interface Block {
  readonly lang: string;
  readonly line: number;
  readonly body: string;
}

function blocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    while (++i < lines.length && !/^```\s*$/.test(lines[i]!));
    out.push({ lang: open[1]!, line: start + 1, body: lines.slice(start + 1, i).join('\n') });
  }
  return out;
}

/** `npx rootrace x` and `node dist/src/cli/main.js x` as `rootrace x`; a CI step's `|| test $? -eq 1` (exit 1 is a finding) dropped. */
function normalise(cmd: string): string | null {
  const t = cmd
    .trim()
    .replace(/^\$\s+/, '')
    .replace(/^(npx\s+rootrace|node\s+dist\/src\/cli\/main\.js)\b/, 'rootrace')
    .replace(/\s*\|\|\s*(test \$\? -eq 1|\[ \$\? -eq 1 \])\s*$/, '');
  return /^rootrace(\s|$)/.test(t) ? t : null;
}

function shellLines(body: string): string[] {
  return body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, ''));
}

/** Every string in a parsed YAML document, with the nearest `strategy.matrix` above it. */
function yamlStrings(doc: unknown, matrix: Record<string, readonly (string | number)[]>, out: { s: string; matrix: Record<string, readonly (string | number)[]> }[]): void {
  if (typeof doc === 'string') out.push({ s: doc, matrix });
  else if (Array.isArray(doc)) for (const x of doc) yamlStrings(x, matrix, out);
  else if (doc !== null && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    const m = (o['strategy'] as { matrix?: Record<string, (string | number)[]> } | undefined)?.matrix;
    for (const v of Object.values(o)) yamlStrings(v, m ?? matrix, out);
  }
}

export function readmeCommands(md: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  for (const b of blocks(md)) {
    if (b.lang === 'yaml') {
      const strings: { s: string; matrix: Record<string, readonly (string | number)[]> }[] = [];
      yamlStrings(parseYaml(b.body), {}, strings);
      for (const { s, matrix } of strings) {
        const text = normalise(s.replace(/\s+/g, ' '));
        if (text !== null) out.push({ line: b.line, text, matrix });
      }
      continue;
    }
    const lines = b.lang === 'sh' ? shellLines(b.body) : b.body.split('\n').filter((l) => l.startsWith('$ '));
    for (const l of lines) {
      const text = normalise(l);
      if (text !== null) out.push({ line: b.line, text, matrix: {} });
    }
  }
  return out;
}
