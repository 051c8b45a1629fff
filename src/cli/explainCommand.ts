/**
 * `rootrace explain "<error text>" | <CI log file> | -`: which catalogue
 * scenarios make Nix print the error lines given, on which releases, and the
 * command that reruns one. The catalogue of texts is made by running every
 * scenario (sim) on every release (errorCatalogue.ts); lines and texts are
 * compared by shape, so store hashes, numbers and `…` do not matter.
 * Exit 0 when a line was explained, 1 when none was (as grep), 2 for bad input.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import { FAMILIES, familyTitle } from '../scenarios/profiles.js';
import type { Family } from '../scenarios/releases.js';
import { int } from './args.js';
import { EXPLAIN } from './commands.js';
import { errorCatalogue, type ErrorCatalogue, type ErrorSource } from './errorCatalogue.js';
import { errorShape, matchShape, type Match } from './errorText.js';
import { SCHEMA_VERSION } from './runCommand.js';
import { parseCommand } from './spec.js';

export interface ExplainArgs {
  /** Error texts, log files, or `-` (stdin), as given. */
  readonly inputs: readonly string[];
  readonly families: readonly Family[];
  readonly runs: number;
  readonly seed: number;
  readonly json: boolean;
}

/** Fixed, as for `versions`: the same command gives the same catalogue. */
export const EXPLAIN_SEED = 1;

export function parseExplainArgs(argv: readonly string[]): ExplainArgs {
  const { values: v, positionals } = parseCommand(EXPLAIN, argv);
  if (positionals.length === 0) throw new UsageError('explain expects an error text (quoted), a CI log file, or - for stdin');
  const family = v.family ?? 'upstream';
  if (family !== 'all' && !FAMILIES.includes(family as Family)) throw new UsageError(`--family expects ${[...FAMILIES, 'all'].join(', ')}, got '${family}'`);
  return {
    inputs: positionals,
    families: family === 'all' ? FAMILIES : [family as Family],
    runs: int('runs', v.runs, 2, 1, 1_000),
    seed: int('seed', v.seed, EXPLAIN_SEED, 0, 0xffff_ffff),
    json: v.json ?? false,
  };
}

/** A file's lines, stdin's, or the argument itself: an error text has spaces, a file name usually not. */
function readInput(arg: string): string {
  try {
    if (arg === '-') return readFileSync(0, 'utf8');
    if (existsSync(arg) && statSync(arg).isFile()) return readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read '${arg}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!/\s/.test(arg) && /[/\\]|\.(log|txt)$/i.test(arg)) throw new UsageError(`cannot read log file '${arg}': no such file (quote an error text to explain it)`);
  return arg;
}

export interface Line {
  readonly text: string;
  readonly shape: string;
  readonly names: readonly string[];
  count: number;
}

interface Explained {
  readonly line: Line;
  readonly matches: readonly { readonly shape: string; readonly match: Match; readonly sources: readonly ErrorSource[] }[];
}

/** Distinct input lines by shape, in order of first appearance. */
function linesOf(inputs: readonly string[]): Line[] {
  const byShape = new Map<string, Line>();
  for (const text of inputs.flatMap((a) => readInput(a).split(/\r?\n/))) {
    const { shape, names } = errorShape(text);
    if (shape === '') continue;
    const seen = byShape.get(shape);
    if (seen) seen.count++;
    else byShape.set(shape, { text: text.trim(), shape, names, count: 1 });
  }
  return [...byShape.values()];
}

/** A line's matches: the texts it shows whole, or else those it is a fragment of; sources with its path names first. */
export function explainLines(lines: readonly Line[], cat: ErrorCatalogue): Explained[] {
  const out: Explained[] = [];
  for (const line of lines) {
    const all = [...cat.shapes].map(([shape, sources]) => ({ shape, sources, match: matchShape(line.shape, shape) })).filter((m) => m.match !== null);
    const whole = all.filter((m) => m.match === 'message');
    const chosen = (whole.length > 0 ? whole : all).map((m) => ({
      shape: m.shape,
      match: m.match!,
      sources: [...m.sources].sort((a, b) => Number(samePath(line, b)) - Number(samePath(line, a)) || a.scenario.localeCompare(b.scenario)),
    }));
    if (chosen.length > 0) out.push({ line, matches: chosen });
  }
  return out;
}

const samePath = (line: Line, s: ErrorSource): boolean => line.names.length > 0 && line.names.every((n) => s.names.includes(n));

/** Store hashes as `…`, as people quote them. */
const shortPaths = (s: string): string => s.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '/nix/store/…-');

export async function explainCommand(a: ExplainArgs, out: (s: string) => void): Promise<number> {
  const lines = linesOf(a.inputs);
  const tty = process.stderr.isTTY && !process.env['CI'];
  const cat = await errorCatalogue({
    families: a.families,
    runs: a.runs,
    seed: a.seed,
    ...(tty ? { onProgress: (done: number, total: number, name: string) => void process.stderr.write(`\rexplain: running ${done + 1}/${total} ${name}\x1b[K`) } : {}),
  });
  if (tty) process.stderr.write('\r\x1b[K');
  const explained = explainLines(lines, cat);
  const unexplained = lines.filter((l) => /\berror\b/i.test(l.text) && !explained.some((e) => e.line === l));
  out(a.json ? `${JSON.stringify(toJson(a, cat, explained, unexplained), null, 2)}\n` : toText(a, cat, explained, unexplained));
  return explained.length > 0 ? 0 : 1;
}

function head(a: ExplainArgs, cat: ErrorCatalogue): string {
  const families = a.families.map(familyTitle).join(', ');
  return `explain   catalogue: ${cat.scenarios} scenarios on ${cat.releases} releases (${families}), runtime sim, ${a.runs} runs per distinct set of switches, seed ${a.seed}; ${cat.shapes.size} distinct Nix error texts`;
}

function toText(a: ExplainArgs, cat: ErrorCatalogue, explained: readonly Explained[], unexplained: readonly Line[]): string {
  const lines = [head(a, cat)];
  for (const { line, matches } of explained) {
    lines.push('', `${line.text}${line.count > 1 ? `   (${line.count} lines like this)` : ''}`);
    for (const m of matches) {
      const kinds = [...new Set(m.sources.map((s) => s.kind))].join(', ');
      const how = m.match === 'fragment' ? `part of: ${shortPaths(m.sources[0]!.message)}` : 'this text';
      lines.push(`  ${kinds} (${how}), from ${m.sources.length} scenario${m.sources.length === 1 ? '' : 's'}:`);
      for (const s of m.sources) {
        lines.push(`    ${s.scenario}: ${s.ranges.join(', ')}${samePath(line, s) ? '   (same path name)' : ''}`);
        lines.push(`      ${shortPaths(s.message)}`);
        lines.push(`      rerun: ${s.rerun}`);
      }
    }
  }
  if (explained.length === 0) lines.push('', 'no catalogue scenario makes Nix print this (rootrace scenarios lists them; a scenario file of your own can reproduce it)');
  if (unexplained.length > 0) {
    lines.push('', `${unexplained.length} error line${unexplained.length === 1 ? '' : 's'} no scenario produces:`, ...unexplained.slice(0, 10).map((l) => `  ${l.text}`));
    if (unexplained.length > 10) lines.push(`  … and ${unexplained.length - 10} more`);
  }
  return `${lines.join('\n')}\n`;
}

function toJson(a: ExplainArgs, cat: ErrorCatalogue, explained: readonly Explained[], unexplained: readonly Line[]): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'explain',
    runtime: 'sim',
    families: a.families,
    runs: a.runs,
    seed: a.seed,
    catalogue: { scenarios: cat.scenarios, releases: cat.releases, texts: cat.shapes.size },
    lines: explained.map(({ line, matches }) => ({
      line: line.text,
      count: line.count,
      matches: matches.map((m) => ({
        shape: m.shape,
        match: m.match,
        scenarios: m.sources.map((s) => ({
          scenario: s.scenario,
          summary: s.summary,
          kind: s.kind,
          message: s.message,
          samePathName: samePath(line, s),
          releases: s.ranges,
          rerun: s.rerun,
        })),
      })),
    })),
    unexplained: unexplained.map((l) => l.text),
  };
}
