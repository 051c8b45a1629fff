/**
 * What a user can type, as data: each command's options are one table
 * (commands.ts) that this parser, `--help` (help.ts) and the README's option
 * tables all read, so none of them can drift from the others.
 *
 * The parser is node:util's parseArgs, strict, under a thin layer that adds
 * what parseArgs leaves to its caller: negative numbers as option values,
 * `--roots-report [FILE]`'s optional value, "did you mean" for unknown
 * options, a `name=value` option given twice for one name, and options that
 * belong to the other runtime. Every failure is one line (a UsageError, exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../messages/errors.js';
import { meanClause } from './suggest.js';

export type Runtime = 'threads' | 'sim';

export interface OptionSpec {
  /** The value's placeholder in help (`N`, `FILE`, `P[,P…]`); absent for a flag. */
  readonly value?: string;
  /** The value may be left out (`--roots-report [FILE]`): the next token is it only if the command still gets its positionals. */
  readonly optionalValue?: true;
  /** May be given more than once; every value is kept, in order. */
  readonly multiple?: true;
  /** Each value is `name=value`, and one name may be given once only (`--param`, `--set`). */
  readonly keyed?: true;
  readonly short?: string;
  /** For --help and the README's option tables. */
  readonly doc: string;
  /** The default as help shows it. */
  readonly default?: string;
  /** Applies under one runtime only; under the other it is a usage error that says what the option is. */
  readonly only?: { readonly runtime: Runtime; readonly is: string };
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** The forms of its positional arguments (`<scenario>`, `show <name>`), one usage line each. */
  readonly usage: readonly string[];
  /** One line, for `rootrace help`. */
  readonly summary: string;
  /** What --help prints after the options. */
  readonly about?: string;
  /** Positionals the command needs, which an optional option value may not take (`run --roots-report <scenario>`). */
  readonly positionals?: number;
  /** The runtime when `--runtime` is absent, for commands that have the option. */
  readonly defaultRuntime?: Runtime;
  readonly examples?: readonly string[];
  readonly options: O;
}

type ValueOf<S extends OptionSpec> = S extends { value: string } ? (S extends { multiple: true } ? string[] : string) : S extends { multiple: true } ? boolean[] : boolean;

export type Values<O extends OptionSpecs> = { readonly [K in keyof O]?: ValueOf<O[K]> };

export interface Parsed<O extends OptionSpecs> {
  readonly values: Values<O>;
  readonly positionals: string[];
  /** `--runtime` or the command's default (null for commands without a runtime). */
  readonly runtime: Runtime | null;
}

/** A command spec, with its option names kept as literal types. */
export function command<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

type Config = NonNullable<ParseArgsConfig['options']>;

function configOf(options: OptionSpecs): Config {
  const out: Config = {};
  for (const [name, o] of Object.entries(options)) {
    out[name] = { type: o.value === undefined ? 'boolean' : 'string', ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  return out;
}

/** Tokens before `--`; after it everything is positional. */
function optionEnd(argv: readonly string[]): number {
  const i = argv.indexOf('--');
  return i < 0 ? argv.length : i;
}

/**
 * `--seed -1` as `--seed=-1`: parseArgs takes a value starting with `-` for an
 * option, which says nothing useful; joined, the number's own check says what is wrong.
 */
function joinNegativeValues(argv: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  const end = optionEnd(argv);
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    const o = i < end && t.startsWith('--') && !t.includes('=') ? options[t.slice(2)] : undefined;
    const next = argv[i + 1];
    if (o?.value !== undefined && !o.optionalValue && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${t}=${next}`);
      i++;
    } else out.push(t);
  }
  return out;
}

/**
 * An optional value (`--roots-report [FILE]`): the next token is its value only
 * if the command still gets the positionals it needs without it; otherwise
 * the flag is bare (`''`).
 */
function resolveOptionalValues(argv: readonly string[], spec: CommandSpec): string[] {
  let args = [...argv];
  for (const [name, o] of Object.entries(spec.options)) {
    if (!o.optionalValue) continue;
    const flag = `--${name}`;
    const i = args.indexOf(flag);
    if (i < 0 || i >= optionEnd(args)) continue;
    const bare = [...args.slice(0, i), `${flag}=`, ...args.slice(i + 1)];
    const next = args[i + 1];
    const withValue = [...args.slice(0, i), `${flag}=${next}`, ...args.slice(i + 2)];
    let ok = false;
    if (next !== undefined && !next.startsWith('-')) {
      try {
        ok = strict(withValue, spec).positionals.length === (spec.positionals ?? 0);
      } catch {
        // not a valid reading: the flag is bare
      }
    }
    args = ok ? withValue : bare;
  }
  return args;
}

/** The first option token parseArgs does not know (for the message), found with a lenient pass. */
function unknownOption(argv: readonly string[], config: Config): string | null {
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) if (t.kind === 'option' && !(t.name in config)) return t.rawName;
  return null;
}

function strict(argv: readonly string[], spec: CommandSpec) {
  const config = configOf(spec.options);
  try {
    return parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const raw = unknownOption(argv, config);
      if (raw !== null) {
        const known = Object.keys(spec.options).map((n) => `--${n}`);
        const mean = meanClause(raw.replace(/=.*$/, ''), known, '');
        throw new UsageError(`Unknown option '${raw}' for ${spec.name}${mean}; rootrace ${spec.name} --help lists its options`);
      }
    }
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
}

/** `--runtime threads|sim` (default threads). */
export function runtimeOf(v: string | undefined, dflt: Runtime = 'threads'): Runtime {
  if (v === undefined) return dflt;
  if (v === 'threads' || v === 'sim') return v;
  throw new UsageError(`--runtime expects threads or sim, got '${v}'`);
}

/** A keyed option (`--param k=v`) may name each key once: a second value would silently win or lose. */
function checkKeyed(name: string, values: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 1) continue; // the option's own check says what is wrong
    const key = v.slice(0, eq);
    const before = seen.get(key);
    if (before !== undefined) throw new UsageError(`--${name} ${key} is given twice ('${before}', then '${v}'): give each name once`);
    seen.set(key, v);
  }
}

/** Parses one command's arguments against its spec; every failure is one UsageError line. */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): Parsed<O> {
  const args = resolveOptionalValues(joinNegativeValues(argv, spec.options), spec);
  const { values, positionals } = strict(args, spec);
  const v = values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.keyed && Array.isArray(v[name])) checkKeyed(name, v[name] as string[]);
  }
  const runtime = 'runtime' in spec.options ? runtimeOf(v['runtime'] as string | undefined, spec.defaultRuntime) : null;
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.only === undefined || v[name] === undefined || runtime === null || o.only.runtime === runtime) continue;
    const fix = o.only.runtime === 'sim' ? 'use it with --runtime sim' : 'drop it or use --runtime threads';
    throw new UsageError(`--${name} is ${o.only.is}: ${fix}`);
  }
  return { values: values as Values<O>, positionals, runtime };
}
