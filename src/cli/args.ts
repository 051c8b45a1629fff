/** Argument parsing: strict, so an unknown flag is a usage error (exit 2), never ignored. */
import { parseArgs } from 'node:util';
import { UsageError } from '../messages/errors.js';

export interface RunArgs {
  readonly scenario: string;
  readonly profiles: readonly string[];
  readonly runs: number;
  readonly seed: number | null;
  readonly sets: readonly string[];
  readonly params: readonly string[];
  readonly json: boolean;
  readonly jitterUs: number;
  readonly timeoutMs: number;
}

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects an integer in ${min}..${max}, got '${v}'`);
  return n;
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string', multiple: true },
        runs: { type: 'string' },
        seed: { type: 'string' },
        set: { type: 'string', multiple: true },
        param: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        jitter: { type: 'string' },
        timeout: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`run expects one scenario name, got ${positionals.length}`);
  return {
    scenario: positionals[0]!,
    profiles: (values.profile ?? ['nix-2.33']).flatMap((p) => p.split(',')).filter(Boolean),
    runs: int('runs', values.runs, 1, 1, 100_000),
    seed: values.seed === undefined ? null : int('seed', values.seed, 0, 0, 0xffff_ffff),
    sets: values.set ?? [],
    params: values.param ?? [],
    json: values.json ?? false,
    jitterUs: int('jitter', values.jitter, 0, 0, 1_000_000),
    timeoutMs: int('timeout', values.timeout, 30_000, 100, 3_600_000),
  };
}
