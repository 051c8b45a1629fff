#!/usr/bin/env node
/** rootrace CLI. Exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error. */
import { isRootraceError } from '../messages/errors.js';
import { CATALOGUE, PROFILES } from '../scenarios/index.js';
import { parseRunArgs } from './args.js';
import { runCommand } from './runCommand.js';

const HELP = `rootrace — temporary-GC-root races of the Nix store, in real worker threads

usage:
  rootrace run <scenario> [--profile P[,P…]] [--runs N] [--seed S] [--set switch=value]…
                          [--param k=v]… [--json] [--jitter µs] [--timeout ms]
  rootrace help

scenarios: ${CATALOGUE.map((c) => c.name).join(', ')}
profiles:  ${PROFILES.map((p) => p.name).join(', ')}
exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error`;

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
