#!/usr/bin/env node
/** rootrace CLI. Exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 internal error, 130/143 interrupted. */
import { runCli } from './cli.js';
import { Interrupt } from './interrupt.js';

// SIGINT/SIGTERM: the long commands stop and flush (interrupt.ts); the exit code then says which signal.
const interrupt = new Interrupt().install();

void runCli(process.argv.slice(2), interrupt).then((code) => {
  process.exitCode = interrupt.exitCode ?? code;
  interrupt.drained();
});
