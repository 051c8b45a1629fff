/**
 * The rootrace CLI as a function: argv in, exit code out (0 no finding, 1
 * finding, 2 usage or input error, 3 internal error). main.ts is the process
 * entry; tests call `runCli` in-process.
 */
import { UsageError, isRootraceError } from '../messages/errors.js';
import { PROFILES, catalogueNames } from '../scenarios/index.js';
import { parseReportArgs, parseRunArgs } from './args.js';
import { checkCommand, parseCheckArgs } from './checkCommand.js';
import { cleanCommand, parseCleanArgs } from './cleanCommand.js';
import type { Interrupt } from './interrupt.js';
import { crashpointsCommand, parseCrashpointsArgs } from './crashpointsCommand.js';
import { explainCommand, parseExplainArgs } from './explainCommand.js';
import { exploreCommand, parseExploreArgs, type CommandIo } from './exploreCommand.js';
import { parseReplayArgs, replayCommand } from './replayCommand.js';
import { reportCommand } from './reportCommand.js';
import { runCommand } from './runCommand.js';
import { sweepCommand } from './sweepCommand.js';
import { mergeCommand } from './mergeCommand.js';
import { parseProfilesArgs, profilesCommand } from './profilesCommand.js';
import { parseScenariosArgs, scenariosCommand } from './scenariosCommand.js';
import { parseShrinkArgs, shrinkCommand } from './shrinkCommand.js';
import { parseVersionsArgs, versionsCommand } from './versionsCommand.js';
import { calibrateCommand, parseCalibrateArgs } from './calibrateCommand.js';
import { COMMANDS } from './commands.js';
import { commandHelp, wrap } from './help.js';
import { meanClause } from './suggest.js';
import { VERSION } from './version.js';

/** `rootrace help`: every command with its summary, from the same table as the parser. */
function mainHelp(): string {
  const usage = COMMANDS.flatMap((c) => c.usage.map((u, i) => [`rootrace ${c.name}${u ? ` ${u}` : ''}`, i === 0 ? c.summary : '']));
  const w = Math.max(...usage.map(([u]) => u!.length)) + 2;
  const lines = usage.flatMap(([u, s]) => {
    const text = wrap(s!, w + 2);
    return text.length === 0 ? [`  ${u!}`] : text.map((t, i) => `  ${(i === 0 ? u! : '').padEnd(w)}${t}`);
  });
  return [
    `rootrace ${VERSION} — temporary-GC-root races of the Nix store, in real worker threads`,
    '',
    'usage:',
    ...lines,
    `  ${'rootrace --version'.padEnd(w)}the version`,
    '',
    'rootrace <command> --help lists a command’s options.',
    '<scenario> is a catalogue name or a path to a scenario file (.yaml, .yml, .json).',
    '',
    ...wrap(`scenarios: ${catalogueNames().join(', ')}`, 11).map((l, i) => (i === 0 ? l : `           ${l}`)),
    `profiles:  ${PROFILES.map((p) => p.name).join(', ')} (catalogue); any release: nix-2.24.12, lix-2.93, determinate-3.17 (rootrace profiles)`,
    'exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error, 130 SIGINT / 143 SIGTERM (results of the finished runs printed and written)',
  ].join('\n');
}

/** stdout for results; progress on stderr only on a TTY outside CI. */
function simIo(): CommandIo {
  const progress = process.stderr.isTTY && !process.env['CI'] ? (s: string) => void process.stderr.write(s) : null;
  return { out: (s) => process.stdout.write(`${s}\n`), progress };
}

/** `--help` or `-h` among a command's options (not after `--`). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return args.slice(0, end < 0 ? args.length : end).some((a) => a === '--help' || a === '-h');
}

function helpOf(name: string | undefined): string {
  if (name === undefined) return `${mainHelp()}\n`;
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw unknownCommand(name);
  return commandHelp(spec);
}

function unknownCommand(cmd: string): UsageError {
  const known = [...COMMANDS.map((c) => c.name), ...EXTRA_COMMANDS, '--help', '--version'];
  return new UsageError(`unknown command '${cmd}'${meanClause(cmd, known)}; rootrace help lists the commands`);
}

/** Commands dispatched below that have no spec (yet) in commands.ts. */
const EXTRA_COMMANDS: readonly string[] = [];

async function main(argv: readonly string[], interrupt: Interrupt | undefined): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    process.stdout.write(helpOf(undefined));
    return 0;
  }
  if (cmd === '--version') {
    process.stdout.write(`rootrace ${VERSION}\n`);
    return 0;
  }
  if (cmd === 'help') {
    if (rest.length > 1) throw new UsageError(`help expects at most one command, got ${rest.length}`);
    process.stdout.write(helpOf(rest[0]?.startsWith('-') ? undefined : rest[0]));
    return 0;
  }
  if (wantsHelp(rest) && COMMANDS.some((c) => c.name === cmd)) {
    process.stdout.write(helpOf(cmd));
    return 0;
  }
  switch (cmd) {
    case 'run':
      return runCommand(parseRunArgs(rest), (s) => process.stdout.write(`${s}\n`), interrupt?.honour());
    case 'scenarios':
      return scenariosCommand(parseScenariosArgs(rest), (s) => process.stdout.write(s));
    case 'check':
      return checkCommand(parseCheckArgs(rest), (s) => process.stdout.write(s), interrupt?.honour());
    case 'explore':
      return exploreCommand(parseExploreArgs(rest), simIo(), interrupt?.honour());
    case 'crashpoints':
      return crashpointsCommand(parseCrashpointsArgs(rest), simIo());
    case 'replay':
      return replayCommand(parseReplayArgs(rest), simIo());
    case 'shrink':
      return shrinkCommand(parseShrinkArgs(rest), simIo(), interrupt?.honour());
    case 'sweep':
      return sweepCommand(rest, (s) => process.stdout.write(`${s}\n`), process.stderr, interrupt?.honour());
    case 'merge':
      return mergeCommand(rest, (s) => process.stdout.write(`${s}\n`));
    case 'profiles':
      return profilesCommand(parseProfilesArgs(rest), (s) => process.stdout.write(s));
    case 'versions':
      return versionsCommand(parseVersionsArgs(rest), (s) => process.stdout.write(s));
    case 'explain':
      return explainCommand(parseExplainArgs(rest), (s) => process.stdout.write(s));
    case 'calibrate':
      return calibrateCommand(parseCalibrateArgs(rest), (s) => process.stdout.write(s));
    case 'clean':
      return cleanCommand(parseCleanArgs(rest), (s) => process.stdout.write(s));
    case 'report':
      return reportCommand(parseReportArgs(rest), (s) => process.stdout.write(s));
    default:
      throw unknownCommand(cmd);
  }
}

/**
 * Runs one command line; stdout and stderr are the process's. Every error
 * becomes its exit code here: bad input one line (2), anything else an
 * internal error with its stack (3).
 */
export async function runCli(argv: readonly string[], interrupt?: Interrupt): Promise<number> {
  try {
    return await main(argv, interrupt);
  } catch (e) {
    if (isRootraceError(e, 'rootrace.usage') || isRootraceError(e, 'rootrace.capacity')) {
      process.stderr.write(`rootrace: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rootrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}
