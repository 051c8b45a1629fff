/**
 * The command that reruns one run of `rootrace run` (issue #13 item 3): the
 * same scenario, profile (as given), parameters, switches, runtime options and
 * crashes, with `--run-seed` set to that run's own seed. On sim it is the same
 * run, step for step; on threads the same seeds under a new interleaving.
 */
import { showCrashPoint } from '../actors/crashes.js';
import type { RunArgs } from './args.js';
import { DEFAULT_TIMEOUT_MS } from './commands.js';

/** `'W(E1)@x'` quoted for a POSIX shell; words of safe characters as they are. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The argv (after `rootrace`) of a run of `a.scenario` under the profile `spec` with exactly `seed`. */
export function rerunArgs(a: RunArgs, spec: string, seed: number): string[] {
  return [
    'run',
    a.scenario,
    '--profile',
    spec,
    ...(a.daemonProfile !== null ? ['--daemon-profile', a.daemonProfile] : []),
    ...a.params.flatMap((p) => ['--param', p]),
    ...a.sets.flatMap((s) => ['--set', s]),
    ...(a.runtime !== 'threads' ? ['--runtime', a.runtime] : []),
    ...(a.jitterUs > 0 ? ['--jitter', String(a.jitterUs)] : []),
    ...(a.runtime === 'threads' && a.timeoutMs !== DEFAULT_TIMEOUT_MS ? ['--timeout', String(a.timeoutMs)] : []),
    ...(a.maxSteps !== null ? ['--max-steps', String(a.maxSteps)] : []),
    ...(a.costs !== null ? ['--costs', a.costs] : []),
    ...(a.timeScale > 0 ? ['--time-scale', String(a.timeScale)] : []),
    ...(a.workers !== null ? ['--workers', String(a.workers)] : []),
    ...a.crash.flatMap((c) => ['--crash', showCrashPoint(c)]),
    '--run-seed',
    String(seed),
  ];
}

/** `rootrace run … --run-seed S`, quoted for a shell. */
export function rerunCommand(a: RunArgs, spec: string, seed: number): string {
  return ['rootrace', ...rerunArgs(a, spec, seed)].map(shellWord).join(' ');
}

/** What the rerun gives back: the same run on sim, the same seeds on threads. */
export function rerunNote(runtime: RunArgs['runtime']): string {
  return runtime === 'sim' ? 'the same run, step for step' : 'the same seeds; real threads may interleave otherwise';
}
