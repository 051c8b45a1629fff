/**
 * A validated scenario file to what the engine runs: parameters applied,
 * repeated entries expanded, every name checked (unknown, duplicate, cyclic),
 * plus the file's profile choices and expectations.
 */
import { crashActorProblem } from '../../actors/crashes.js';
import { isIterationOf, resolve } from '../../actors/derivations.js';
import type { Switches } from '../../messages/profile.js';
import { profileByName } from '../profiles.js';
import { costsFrom } from '../costs.js';
import type { Costs } from '../../messages/costs.js';
import type { CrashPoint, DerivationSpec, LoopSpec, ProcessSpec, ScenarioRun, SourceSpec, StepHook } from '../../messages/scenario.js';
import { DEFAULT_CHECK_PROFILES, DEFAULT_PROFILE, DURATION_LOOP_CAP, type RawProcess } from './format.js';
import { resolveExpectations, type ExpectationTable } from './expectations.js';
import { initialStore, settingsOf } from './initial.js';
import type { ScenarioDoc } from './load.js';
import { applyParamArgs, evalInt, parameterSpecs, type ParamSpec, type Params } from './params.js';
import { checkDependencies, expandInputs, NameIndex } from './inputs.js';
import { atMost, LIMITS, type LimitName } from './limits.js';
import { unknownName } from './refs.js';
import { errorAt, instances, type Instance } from './repeat.js';
import { runProblem } from './storeLimit.js';
import { parseStep, toStep, type StepArg } from './steps.js';
import type { JsonPath } from './where.js';

export interface ExpandedScenario {
  readonly run: ScenarioRun;
  readonly parameters: Readonly<Record<string, ParamSpec>>;
  readonly params: Params;
  /** The file's `set`, as `--set` strings, applied under every profile before the command line's. */
  readonly sets: readonly string[];
  readonly defaultProfile: string;
  /** Profiles `check` runs. */
  readonly profiles: readonly string[];
  /** By profile name, for every profile the file has an expectation for (directly or through `default`). */
  readonly expectations: ExpectationTable;
}

export function expandScenario(doc: ScenarioDoc, paramArgs: readonly string[] = []): ExpandedScenario {
  const { at, data } = doc;
  const parameters = parameterSpecs(doc);
  const params = applyParamArgs(doc, parameters, paramArgs);

  const loopOf = (raw: NonNullable<RawProcess['loop']>, path: JsonPath): LoopSpec => {
    const onError = raw.onError ?? 'stop';
    if (raw.for === undefined) return { times: evalInt(at, [...path, 'times'], raw.times!, params, 0), onError };
    const forMs = evalInt(at, [...path, 'for'], raw.for, params, 1);
    const times = raw.times === undefined ? DURATION_LOOP_CAP : evalInt(at, [...path, 'times'], raw.times, params, 1);
    return { times, forMs, onError };
  };

  const srcs = unique(doc, instances(at, data.sources, 'sources', params, 'sources'), 'source');
  const sources: SourceSpec[] = srcs.map((s) => ({
    name: s.value.name,
    contents: s.value.contents ?? s.value.name,
    size: s.value.size === undefined ? 1024 : evalInt(at, [...s.path, 'size'], s.value.size, params, 0, 'entryBytes'),
  }));
  const drvs = unique(doc, instances(at, data.derivations, 'derivations', params, 'derivations'), 'derivation');
  const drvIndex = new NameIndex(drvs.map((d) => d.value.name));
  const srcIndex = new NameIndex(sources.map((s) => s.name));
  const drvNames = drvIndex.set;
  const srcNames = srcIndex.set;
  // Inputs as written, with `*` patterns expanded over the defined names (in definition order, never the drv itself).
  const inputs = new Map(
    drvs.map((d) => [
      d.value.name,
      {
        drvs: expandInputs(at, d, 'inputDrvs', d.value.inputDrvs ?? [], drvIndex, 'derivation', d.value.name),
        srcs: expandInputs(at, d, 'inputSrcs', d.value.inputSrcs ?? [], srcIndex, 'source', null),
      },
    ]),
  );
  const derivations: DerivationSpec[] = drvs.map((d) => ({
    name: d.value.name,
    inputDrvs: inputs.get(d.value.name)!.drvs.map((x) => x.name),
    inputSrcs: inputs.get(d.value.name)!.srcs.map((x) => x.name),
    outputs: d.value.outputs ?? ['out'],
    outputSize: d.value.outputSize === undefined ? 4096 : evalInt(at, [...d.path, 'outputSize'], d.value.outputSize, params, 0, 'entryBytes'),
  }));
  let edges = 0;
  for (const [k, d] of derivations.entries()) {
    edges += d.inputDrvs.length + d.inputSrcs.length;
    if (edges > LIMITS.inputs.value) throw errorAt(at, drvs[k]!, ['inputDrvs'], `more than ${LIMITS.inputs.value} inputs in all derivations up to here; ${atMost('inputs')}`);
  }
  checkDependencies(at, drvs, (name) => inputs.get(name)!.drvs);

  const procs = unique(doc, instances(at, data.processes, 'processes', params, 'processes'), 'process');
  const procNames = new Set(procs.map((p) => p.value.name));
  const barriers = new Map<string, BarrierSite[]>();
  const addBarrier = (name: string, site: BarrierSite): void => {
    const sites = barriers.get(name);
    if (sites) sites.push(site);
    else barriers.set(name, [site]);
  };
  const iterations = new Map<string, boolean>();
  const someIteration = (name: string): boolean => {
    let hit = iterations.get(name);
    if (hit === undefined) iterations.set(name, (hit = drvIndex.list.some((d) => isIterationOf(name, d))));
    return hit;
  };
  const processes: ProcessSpec[] = procs.map((p) => {
    const name = (arg: StepArg): string => {
      const v = String(arg.value);
      const fail = (why: string): Error => errorAt(at, p, arg.path.slice(p.path.length), why);
      if (arg.kind === 'drv' && !drvNames.has(v) && !someIteration(v)) throw fail(unknownName('derivation', v, drvNames));
      if (arg.kind === 'src' && !srcNames.has(v)) throw fail(unknownName('source', v, srcNames));
      if (arg.kind === 'process' && !procNames.has(v)) throw fail(unknownName('process', v, procNames));
      if (arg.kind === 'barrier') addBarrier(v, { inst: p, sub: arg.path.slice(p.path.length) });
      return v;
    };
    const int = (arg: StepArg, limit?: LimitName): number => evalInt(at, arg.path, arg.value as string | number, params, 0, limit);
    if (p.value.steps.length > LIMITS.steps.value) throw errorAt(at, p, ['steps'], `${p.value.steps.length} steps; ${atMost('steps')}`);
    const steps = p.value.steps.map((raw, k) => toStep(parseStep(raw, [...p.path, 'steps', k]), { name, int }));
    const local = p.value.store === 'local';
    // A local store has no daemon connection to drop or kill.
    const k = local ? steps.findIndex((s) => s.op === 'dropConnection' || s.op === 'killDaemonWorker') : -1;
    if (k >= 0) throw errorAt(at, p, ['steps', k], `'${steps[k]!.op}' needs a daemon connection, but this process has store: local`);
    const nix = p.value.nix === undefined ? undefined : processRelease(p.value.nix, (why) => errorAt(at, p, ['nix'], why));
    const loop = p.value.loop ? loopOf(p.value.loop, [...p.path, 'loop']) : undefined;
    return {
      name: p.value.name,
      kind: p.value.kind,
      ...(local ? { store: 'local' as const } : {}),
      ...(p.value.evalStore ? { evalStore: p.value.evalStore } : {}),
      ...(nix ? { nix } : {}),
      ...(p.value.spawned ? { spawned: true } : {}),
      ...(loop ? { loop } : {}),
      steps,
    };
  });

  const byName = new Map(processes.map((p) => [p.name, p]));
  for (const [i, p] of processes.entries()) {
    if (p.loop && p.loop.times > LIMITS.loopTimes.value) throw errorAt(at, procs[i]!, ['loop', 'times'], `${p.loop.times} iterations; ${atMost('loopTimes')}`);
    for (const [k, step] of p.steps.entries()) {
      const started = step.op === 'spawn' ? [['spawn', step.process]] : step.op === 'evalJobs' ? [['worker', step.worker], ...(step.build ? [['build', step.build]] : [])] : [];
      for (const [field, target] of started) {
        if (!byName.get(target!)?.spawned) {
          const where = step.op === 'spawn' ? ['steps', k, 'spawn'] : ['steps', k, 'evalJobs', field!];
          throw errorAt(at, procs[i]!, where, `process '${target}' is not spawned: give it \`spawned: true\` to start it from a ${step.op} step`);
        }
      }
    }
  }

  const hooks: StepHook[] = instances(at, data.hooks, 'hooks', params).map((h) => {
    if (!procNames.has(h.value.process)) throw errorAt(at, h, ['process'], unknownName('process', h.value.process, procNames));
    for (const [j, b] of h.value.barriers.entries()) addBarrier(b, { inst: h, sub: ['barriers', j] });
    const occurrence = h.value.occurrence === undefined ? 1 : evalInt(at, [...h.path, 'occurrence'], h.value.occurrence, params, 1);
    return { process: h.value.process, label: h.value.label, occurrence, barriers: h.value.barriers };
  });
  checkBarriers(doc, barriers);

  const crash: CrashPoint[] = instances(at, data.crash, 'crash', params).map((c) => {
    const problem = crashActorProblem(c.value.process, processes);
    if (problem) throw errorAt(at, c, ['process'], problem);
    const occurrence = c.value.occurrence === undefined ? 1 : evalInt(at, [...c.path, 'occurrence'], c.value.occurrence, params, 1);
    return { process: c.value.process, label: c.value.label, occurrence, signal: c.value.signal ?? 'kill' };
  });

  const settings = settingsOf(at, data.settings, params);
  let costs: Costs | undefined;
  try {
    costs = data.costs === undefined ? undefined : costsFrom(data.costs, 'costs');
  } catch (e) {
    throw at.error(['costs'], e instanceof Error ? e.message.replace(/^costs: /, '') : String(e));
  }
  const bare: ScenarioRun = { name: data.name, ...(costs ? { costs } : {}), derivations, sources, initial: { drvs: [], srcs: [], roots: [], junk: [] }, settings, processes };
  const r = resolve(bare);
  const run: ScenarioRun = { ...bare, ...(hooks.length > 0 ? { hooks } : {}), ...(crash.length > 0 ? { crash } : {}), initial: initialStore(at, data.store, params, r) };
  // Last: the store must fit, and nothing may spawn forever (run.processes are procs, in order).
  const problem = runProblem(run);
  if (problem) throw problem.process === null ? at.error(['derivations'], problem.what) : errorAt(at, procs[problem.process]!, problem.sub, problem.what);
  return {
    run,
    parameters,
    params,
    sets: Object.entries(data.set ?? {}).map(([k, v]) => `${k}=${String(v)}`),
    defaultProfile: data.profile === undefined ? DEFAULT_PROFILE : knownProfile(doc, ['profile'], data.profile),
    profiles: data.profiles === undefined ? DEFAULT_CHECK_PROFILES : data.profiles.map((p, k) => knownProfile(doc, ['profiles', k], p)),
    expectations: resolveExpectations(at, data.expect, r, (key) => key === 'default' || knownProfile(doc, ['expect', key], key) === key),
  };
}

/** A profile name the switch table knows, or an error at its field. */
function knownProfile(doc: ScenarioDoc, path: JsonPath, name: string): string {
  try {
    profileByName(name);
  } catch (e) {
    throw doc.at.error(path, e instanceof Error ? e.message : String(e));
  }
  return name;
}

/** Names must be unique among the copies of one list; the later one is the error. */
function unique<T extends { readonly name: string }>(doc: ScenarioDoc, list: readonly Instance<T>[], what: string): Instance<T>[] {
  const seen = new Map<string, Instance<T>>();
  for (const x of list) {
    const first = seen.get(x.value.name);
    if (first) {
      const there = `${first.path[0]}[${first.path[1]}]${first.i === null ? '' : ` copy {i}=${first.i}`}`;
      throw errorAt(doc.at, x, ['name'], `duplicate ${what} name '${x.value.name}' (first defined at ${there})`);
    }
    seen.set(x.value.name, x);
  }
  return [...list];
}

/** A process's own release (`nix:`), as the switches it runs; an unknown name fails at that field. */
function processRelease(name: string, fail: (why: string) => Error): { name: string; switches: Switches } {
  try {
    return { name, switches: profileByName(name).switches };
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
}

/** Where a barrier is named: a barrier step or a hook, in an entry that may be a repeated copy. */
interface BarrierSite {
  readonly inst: Instance<unknown>;
  readonly sub: JsonPath;
}

/**
 * A barrier waits for every step and hook that names it. One named by a single
 * party would release at once: a typo, unless that party is a copy of a
 * repeated entry (whose count may legitimately be 1).
 */
function checkBarriers(doc: ScenarioDoc, sites: ReadonlyMap<string, readonly BarrierSite[]>): void {
  for (const [name, where] of sites) {
    const only = where[0]!;
    if (where.length === 1 && only.inst.i === null) {
      throw errorAt(doc.at, only.inst, only.sub, `barrier '${name}' is named only here, so it would release at once; expected it in at least one other step or hook`);
    }
  }
}
