/** The option specs: one table drives the parser and the help, and bad input is one clear UsageError. */
import { describe, expect, it } from 'vitest';
import { int, parseReportArgs, parseRunArgs } from '../../../src/cli/args.js';
import { COMMANDS, RUN } from '../../../src/cli/commands.js';
import { commandHelp, optionLabel } from '../../../src/cli/help.js';
import { parseCommand, type OptionSpec, type OptionSpecs } from '../../../src/cli/spec.js';
import { didYouMean } from '../../../src/cli/suggest.js';

describe('numbers', () => {
  it.each([
    ['0x10', "got '0x10' (decimal digits only)"],
    ['1e3', "got '1e3' (decimal digits only)"],
    ['5.0', "got '5.0' (decimal digits only)"],
    ['-1', "got '-1' (negative)"],
    ['1.5', "got '1.5'"],
    [' 5', "got ' 5'"],
    ['', "got ''"],
  ])('--runs %j is refused: %s', (v, says) => {
    expect(() => int('runs', v, 1, 1, 100)).toThrow(`--runs expects an integer in 1..100, ${says}`);
  });

  it('a negative value after a space reaches the number check (parseArgs alone would call it ambiguous)', () => {
    expect(() => parseRunArgs(['pr-15158', '--seed', '-1'])).toThrow("--seed expects an integer in 0..4294967295, got '-1' (negative)");
    expect(() => parseRunArgs(['pr-15158', '--runs', '-5'])).toThrow("--runs expects an integer in 1..100000, got '-5' (negative)");
  });

  it('decimal digits are taken as they are', () => {
    expect(parseRunArgs(['pr-15158', '--runs', '007', '--seed', '4294967295'])).toMatchObject({ runs: 7, seed: 4294967295 });
  });
});

describe('parseCommand', () => {
  it('an unknown option says which command and suggests the closest', () => {
    expect(() => parseRunArgs(['pr-15158', '--prfile', 'nix-2.33'])).toThrow("Unknown option '--prfile' for run (did you mean --profile?); rootrace run --help lists its options");
    expect(() => parseRunArgs(['pr-15158', '--frobnicate'])).toThrow("Unknown option '--frobnicate' for run; rootrace run --help lists its options");
  });

  it('--param and --set name each key once', () => {
    expect(() => parseRunArgs(['pr-15158', '--param', 'evaluators=2', '--param', 'evaluators=3'])).toThrow("--param evaluators is given twice ('evaluators=2', then 'evaluators=3'): give each name once");
    expect(() => parseRunArgs(['pr-15158', '--set', 'writeDerivation=always-add', '--set=writeDerivation=always-add'])).toThrow(/--set writeDerivation is given twice/);
    expect(parseRunArgs(['pr-15158', '--param', 'evaluators=2', '--param', 'shared=3']).params).toEqual(['evaluators=2', 'shared=3']);
  });

  it('an option of the other runtime says what it is', () => {
    expect(() => parseRunArgs(['pr-15158', '--runtime', 'sim', '--jitter', '5'])).toThrow("--jitter is the threads runtime's injected delay (sim interleavings come from the seed): drop it or use --runtime threads");
    expect(() => parseRunArgs(['pr-15158', '--timeout', '500', '--runtime', 'sim'])).toThrow(/^--timeout is the threads runtime's watchdog period/);
    expect(() => parseRunArgs(['pr-15158', '--max-steps', '10'])).toThrow("--max-steps is the sim runtime's step budget: use it with --runtime sim");
    expect(parseRunArgs(['pr-15158', '--runtime', 'sim', '--max-steps', '10']).maxSteps).toBe(10);
    expect(parseRunArgs(['pr-15158', '--timeout', '500']).timeoutMs).toBe(500);
  });

  it('--roots-report [FILE] takes the next token only when the positionals still come out right', () => {
    expect(parseRunArgs(['--roots-report', 'pr-15158']).outputs.rootsReport).toBe('');
    expect(parseRunArgs(['pr-15158', '--roots-report', 'r.txt'])).toMatchObject({ scenario: 'pr-15158', outputs: { rootsReport: 'r.txt' } });
    expect(parseRunArgs(['pr-15158', '--roots-report', '--json'])).toMatchObject({ json: true, outputs: { rootsReport: '' } });
    expect(parseReportArgs(['--roots-report', 'e.ndjson']).file).toBe('e.ndjson');
  });

  it('-v counts: -vv is debug', () => {
    expect(parseRunArgs(['pr-15158', '-v']).outputs.log).toBe('talkative');
    expect(parseRunArgs(['pr-15158', '-vv']).outputs.log).toBe('debug');
  });

  it('a misspelt scenario, profile or switch suggests the closest name', () => {
    expect(() => parseRunArgs(['pr-1558'])).toThrow(/^unknown scenario 'pr-1558' \(did you mean 'pr-15158'\?/);
    expect(() => parseRunArgs(['pr-15158', '--profile', 'nixx-2.33'])).toThrow(/^--profile nixx-2\.33: unknown profile 'nixx-2\.33' \(did you mean 'nix-2\.33'\?\)/);
    expect(() => parseRunArgs(['pr-15158', '--profile', 'nix-2.33,nix-2.355'])).toThrow(/^--profile nix-2\.355: unknown profile 'nix-2\.355' \(did you mean 'nix-2\.35'\?\)/);
    expect(() => parseRunArgs(['pr-15158', '--set', 'writeDerivaton=always-add'])).toThrow(/^unknown switch 'writeDerivaton' in --set \(did you mean 'writeDerivation'\?\)/);
  });
});

describe('help from the specs', () => {
  const sample = (o: OptionSpec): string[] => (o.value === undefined ? [] : ['1']);

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: every option the parser knows is in its --help, and every option in --help parses', (_name, spec) => {
    const help = commandHelp(spec);
    for (const [name, o] of Object.entries(spec.options as OptionSpecs)) {
      expect(help).toContain(optionLabel(name, o));
      // Parsing may fail on the value (a sample '1'), never on the option's name.
      try {
        parseCommand(spec, [`--${name}`, ...sample(o)]);
      } catch (e) {
        expect(String(e)).not.toMatch(/Unknown option/);
      }
    }
  });

  it('run --help names the defaults and the runtime each option belongs to', () => {
    const help = commandHelp(RUN);
    expect(help).toMatch(/--timeout ms +the watchdog's quiet period/);
    expect(help).toMatch(/default 5000; threads runtime only/);
    expect(help).toMatch(/--max-steps N[\s\S]*default 200000; sim runtime only/);
  });
});

describe('didYouMean', () => {
  it.each([
    ['rn', ['run', 'report', 'replay'], 'run'],
    ['rnu', ['run', 'report'], 'run'],
    ['verisons', ['versions', 'profiles'], 'versions'],
    ['ver', ['versions', 'profiles'], 'versions'],
    ['frobnicate', ['run', 'check'], null],
    ['s', ['scenarios', 'shrink', 'sweep'], null],
  ])('%s among %j: %s', (input, known, want) => {
    expect(didYouMean(input, known)).toBe(want);
  });
});
