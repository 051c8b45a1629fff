#!/usr/bin/env node
/** rootrace CLI. Exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error. */
import { isRootraceError } from '../messages/errors.js';
import { PROFILES, catalogueNames } from '../scenarios/index.js';
import { parseReportArgs, parseRunArgs } from './args.js';
import { checkCommand, parseCheckArgs } from './checkCommand.js';
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

const HELP = `rootrace — temporary-GC-root races of the Nix store, in real worker threads

usage:
  rootrace run <scenario> [--profile P[,P…]] [--daemon-profile P] [--runs N] [--seed S] [--set switch=value]…
                          [--param k=v]… [--json] [--jitter µs] [--timeout ms] [--runtime threads|sim]
                          [--max-steps N] [--events FILE] [--trace FILE] [--roots-report [FILE]]
                          [--log | -v | -vv | --debug]
  rootrace report <events.ndjson> [--trace FILE] [--roots-report [FILE]] [--log | -v | --debug] [--json]
  rootrace explore <scenario> [--profile P] [--strategy random|pct|dfs] [--depth d] [--preemptions b]
                              [--max-schedules N] [--time-limit S] [--param k=v]… [--set k=v]…
                              [--seed S] [--all] [--out DIR] [--no-shrink] [--max-steps N] [--json]
  rootrace replay <schedule.json> [--events FILE] [--trace FILE] [--json]
  rootrace shrink <schedule.json> [--out FILE] [--max-replays N] [--time-limit S] [--json]
  rootrace scenarios [--json]           the catalogue: summary and expected outcome per profile
  rootrace scenarios show <name>        the scenario file, verbatim
  rootrace check [name|file]… [--runs N] [--seed S] [--json] [--runtime threads|sim] [--timeout ms]
                 [--max-steps N]
                                        run scenarios on their profiles; exit 0 only if all match
  rootrace sweep <scenario> --param name=v1,v2,… [--param …] [--profile P,…] [--runs N]
                [--runtime threads|sim] [--jobs J] [--seed S] [--shard i/n] [--set switch=value]…
                [--export-csv F] [--export-json F] [--export-md F] [--export-html F] [--json]
  rootrace merge <sweep.json>… [--export-… F] [--json]   combine shards into the whole sweep
  rootrace profiles [--json]            every release series (upstream, Lix, Determinate) and what it changed
  rootrace profiles show <profile>      every switch of one release: value, range, ref
  rootrace profiles diff <a> <b>        the switches that differ, with the changes between
  rootrace versions <scenario> [--family upstream|lix|determinate|all] [--runs N] [--seed S]
                   [--runtime sim|threads] [--param k=v]… [--set switch=value]… [--json]
                                        run on every release; print the release ranges that share
                                        an outcome and the switch changes at each boundary
  rootrace help

  <scenario>            a catalogue name, or a path to a scenario file (.yaml, .yml, .json)

  --events FILE         the inspection stream as NDJSON (one event per line)
  --trace FILE          a Chrome trace: open in https://ui.perfetto.dev or chrome://tracing
  --roots-report [FILE] which roots each ended process held and what became of them
                        (stdout when no FILE; JSON with --json)
                        with several runs, each file is per run: F.<profile>-<i>.<ext>
  --runtime sim         run the same actors in one thread under a seeded scheduler (exact replay)
  --jitter µs           threads: a seeded delay of up to µs at half the steps (sub-millisecond kept)
  --timeout ms          threads watchdog: a run in which nothing happened for ms (default 5000) while
                        every live actor is blocked is a deadlock finding, saying what each waits for
                        and holds; a run that is only slow is never cut short
  --max-steps N         sim: the step budget per run (scheduling decisions, default 200000); a run that
                        spends it ends with a finding saying so (with --runtime sim for run and check)
  explore               sim schedules (PCT depth d, random, or DFS exhaustive within b preemptions)
                        until a finding; writes .rootrace/schedules/*.json, shrinks it, and prints
                        the replay command. Every finding is replayed twice before it is reported.
  --log, -v, --debug    Nix-style log lines (info, talkative, debug) behind a time/actor tag,
                        on stderr for run, on stdout for report
  A run with a finding always saves its events, trace and roots report in a run folder
  under .rootrace/ (or $ROOTRACE_DIR).

scenarios: ${catalogueNames().join(', ')}
profiles:  ${PROFILES.map((p) => p.name).join(', ')} (catalogue); any release: nix-2.24.12, lix-2.93, determinate-3.17 (rootrace profiles)
exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error`;

/** stdout for results; progress on stderr only on a TTY outside CI. */
function simIo(): CommandIo {
  const progress = process.stderr.isTTY && !process.env['CI'] ? (s: string) => void process.stderr.write(s) : null;
  return { out: (s) => process.stdout.write(`${s}\n`), progress };
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${HELP}\n`);
      return 0;
    case 'run':
      return runCommand(parseRunArgs(rest), (s) => process.stdout.write(`${s}\n`));
    case 'scenarios':
      return scenariosCommand(parseScenariosArgs(rest), (s) => process.stdout.write(s));
    case 'check':
      return checkCommand(parseCheckArgs(rest), (s) => process.stdout.write(s));
    case 'explore':
      return exploreCommand(parseExploreArgs(rest), simIo());
    case 'replay':
      return replayCommand(parseReplayArgs(rest), simIo());
    case 'shrink':
      return shrinkCommand(parseShrinkArgs(rest), simIo());
    case 'sweep':
      return sweepCommand(rest, (s) => process.stdout.write(`${s}\n`), process.stderr);
    case 'merge':
      return mergeCommand(rest, (s) => process.stdout.write(`${s}\n`));
    case 'profiles':
      return profilesCommand(parseProfilesArgs(rest), (s) => process.stdout.write(s));
    case 'versions':
      return versionsCommand(parseVersionsArgs(rest), (s) => process.stdout.write(s));
    case 'report':
      return reportCommand(parseReportArgs(rest), (s) => process.stdout.write(s));
    default:
      process.stderr.write(`rootrace: unknown command '${cmd}'\n${HELP}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isRootraceError(e, 'rootrace.usage')) {
      process.stderr.write(`rootrace: ${e.message}\n`);
      process.exitCode = 2;
    } else if (isRootraceError(e, 'rootrace.capacity')) {
      process.stderr.write(`rootrace: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`rootrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    }
  },
);
