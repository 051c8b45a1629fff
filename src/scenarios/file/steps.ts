/**
 * Steps of a process program: shorthand (`instantiate: foo`, `addRoot: { drv, link }`)
 * and full (`{ op: instantiate, drv: foo }`) forms to the engine's Step, checking
 * every name a step uses. Errors point at the field that holds the bad value.
 */
import type { Step } from '../../messages/scenario.js';
import { STEP_OPS, type ArgKind, type RawStep, type StepOpName } from './format.js';
import type { LimitName } from './limits.js';
import type { JsonPath } from './where.js';

export interface StepArg {
  readonly kind: ArgKind;
  readonly value: unknown;
  readonly path: JsonPath;
}

export interface ParsedStep {
  readonly op: StepOpName;
  readonly path: JsonPath;
  readonly args: Readonly<Record<string, StepArg>>;
}

/** Splits a schema-valid raw step into its op and arguments, each with the path where it was written. */
export function parseStep(raw: RawStep, path: JsonPath): ParsedStep {
  const args: Record<string, StepArg> = {};
  if (typeof raw['op'] === 'string') {
    const op = raw['op'] as StepOpName;
    const fields: Readonly<Record<string, ArgKind>> = STEP_OPS[op].fields;
    for (const [k, kind] of Object.entries(fields)) if (raw[k] !== undefined) args[k] = { kind, value: raw[k], path: [...path, k] };
    return { op, path, args };
  }
  // The schema allows one op key, or instantiate with its addRoot option.
  const op = ('instantiate' in raw ? 'instantiate' : Object.keys(raw)[0]) as StepOpName;
  const def = STEP_OPS[op];
  const fields: Readonly<Record<string, ArgKind>> = def.fields;
  if ('arg' in def) {
    args[def.arg] = { kind: fields[def.arg]!, value: raw[op], path: [...path, op] };
    if (op === 'instantiate' && raw['addRoot'] !== undefined) args['addRoot'] = { kind: 'link', value: raw['addRoot'], path: [...path, 'addRoot'] };
  } else {
    const value = (raw[op] ?? {}) as Readonly<Record<string, unknown>>;
    for (const [k, kind] of Object.entries(fields)) if (value[k] !== undefined) args[k] = { kind, value: value[k], path: [...path, op, k] };
  }
  return { op, path, args };
}

export interface StepResolvers {
  /** Checks a name against what the scenario defines; throws at the arg's path. */
  name(arg: StepArg): string;
  /** An integer argument, at most the named limit. */
  int(arg: StepArg, limit?: LimitName): number;
}

/** The engine's Step; every argument goes through `r` so names are checked and integers evaluated. */
export function toStep(p: ParsedStep, r: StepResolvers): Step {
  const a = p.args;
  const name = (k: string): string => r.name(a[k]!);
  switch (p.op) {
    case 'instantiate':
      return a['addRoot'] ? { op: 'instantiate', drv: name('drv'), addRoot: name('addRoot') } : { op: 'instantiate', drv: name('drv') };
    case 'writeDerivation':
    case 'realise':
    case 'ensurePath':
      return { op: p.op, drv: name('drv') };
    case 'fetchToStore':
      return { op: 'fetchToStore', src: name('src') };
    case 'addRoot':
      return { op: 'addRoot', drv: name('drv'), link: name('link') };
    case 'removeRoot':
      return { op: 'removeRoot', link: name('link') };
    case 'collectGarbage':
      return a['maxFreed'] ? { op: 'collectGarbage', maxFreed: r.int(a['maxFreed']) } : { op: 'collectGarbage' };
    case 'awaitExit':
      return { op: 'awaitExit', process: name('process') };
    case 'spawn':
      return { op: 'spawn', process: name('process') };
    case 'plainRoot':
      return { op: 'plainRoot', drv: name('drv'), link: name('link'), ...(a['output']?.value === true ? { output: true } : {}) };
    case 'evalJobs':
      return {
        op: 'evalJobs',
        worker: name('worker'),
        jobs: r.int(a['jobs']!, 'evalJobs'),
        workers: r.int(a['workers']!, 'evalJobs'),
        restartEvery: Math.max(1, r.int(a['restartEvery']!, 'evalJobs')),
        ...(a['build'] ? { build: name('build') } : {}),
      };
    case 'rewriteAggregate':
      return { op: 'rewriteAggregate', drv: name('drv'), from: name('from') };
    case 'barrier':
      return { op: 'barrier', name: name('name') };
    case 'sleep':
      return { op: 'sleep', ms: r.int(a['ms']!, 'sleepMs') };
    case 'dropConnection':
    case 'killDaemonWorker':
      return { op: p.op };
  }
}
