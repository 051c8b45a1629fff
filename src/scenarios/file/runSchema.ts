/**
 * The JSON Schema of a schedule file (runtime/sim/scheduleFile.ts): its
 * header, the profile, the decisions, and the resolved scenario it carries
 * (messages/scenario.ts ScenarioRun, as expand.ts makes it: names resolved,
 * integers evaluated). Limits are the scenario files' (limits.ts), so an
 * edited schedule is held to what a scenario file could have produced.
 */
import type { SchemaObject } from 'ajv';
import { COST_FIELDS } from '../../messages/costs.js';
import { SWITCH_DOCS } from '../../messages/profile.js';
import { FINDING_KINDS, STEP_OPS, type ArgKind, type StepOpDef } from './format.js';
import { LIMITS } from './limits.js';

function obj(properties: Record<string, SchemaObject>, required: readonly string[] = [], extra: SchemaObject = {}): SchemaObject {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

const TEXT: SchemaObject = { type: 'string', minLength: 1, expected: 'a non-empty string' };
const NAME: SchemaObject = { type: 'string', pattern: '^[A-Za-z0-9+_?={}*-][A-Za-z0-9+._?={}*-]*$', expected: 'a store name: letters, digits and + - . _ ? = (and {n})' };
const COUNT = (max: number): SchemaObject => ({ type: 'integer', minimum: 0, maximum: max });
const BYTES = COUNT(LIMITS.entryBytes.value);
const SAFE = COUNT(Number.MAX_SAFE_INTEGER);

const ARG: Record<ArgKind, SchemaObject> = { drv: NAME, src: NAME, process: TEXT, barrier: TEXT, link: TEXT, int: SAFE, bool: { type: 'boolean' } };
/** Integer fields with a limit of their own (the rest are counts of bytes or occurrences). */
const INT_LIMITS: Readonly<Record<string, SchemaObject>> = {
  'sleep.ms': COUNT(LIMITS.sleepMs.value),
  'evalJobs.jobs': COUNT(LIMITS.evalJobs.value),
  'evalJobs.workers': COUNT(LIMITS.evalJobs.value),
  'evalJobs.restartEvery': { type: 'integer', minimum: 1, maximum: LIMITS.evalJobs.value },
};

const step = ([op, def]: [string, StepOpDef]): SchemaObject =>
  obj(
    { op: { const: op }, ...Object.fromEntries(Object.entries(def.fields).map(([k, kind]) => [k, INT_LIMITS[`${op}.${k}`] ?? ARG[kind]])) },
    ['op', ...Object.keys(def.fields).filter((k) => !def.optional.includes(k))],
  );

const STEP: SchemaObject = { type: 'object', required: ['op'], discriminator: { propertyName: 'op' }, oneOf: Object.entries(STEP_OPS).map(step) };

export const SWITCHES_SCHEMA: SchemaObject = obj(
  Object.fromEntries(Object.entries(SWITCH_DOCS).map(([k, d]) => [k, d.values === 'number' ? { type: 'number', minimum: 0, maximum: LIMITS.sleepMs.value } : { enum: [...d.values] }])),
  Object.keys(SWITCH_DOCS),
  { fieldKind: 'switch' },
);
const RELEASE = obj({ name: TEXT, switches: SWITCHES_SCHEMA }, ['name', 'switches']);

const PROCESS = obj(
  {
    name: TEXT,
    kind: { enum: ['evaluator', 'nix-collect-garbage'] },
    store: { enum: ['daemon', 'local'] },
    evalStore: { enum: ['daemon', 'local'] },
    spawned: { type: 'boolean' },
    loop: obj({ times: COUNT(LIMITS.loopTimes.value), forMs: SAFE, onError: { enum: ['continue', 'stop'] } }, ['times', 'onError']),
    nix: RELEASE,
    steps: { type: 'array', items: STEP, maxItems: LIMITS.steps.value },
  },
  ['name', 'kind', 'steps'],
);

const COSTS = obj(Object.fromEntries(COST_FIELDS.map((k) => [k, k === 'jitter' ? { type: 'number', minimum: 0, exclusiveMaximum: 1 } : { type: 'number', minimum: 0, maximum: LIMITS.sleepMs.value }])), [...COST_FIELDS]);

export const RUN_SCHEMA: SchemaObject = obj(
  {
    name: TEXT,
    costs: COSTS,
    derivations: {
      type: 'array',
      maxItems: LIMITS.derivations.value,
      items: obj({ name: NAME, inputDrvs: { type: 'array', items: NAME }, inputSrcs: { type: 'array', items: NAME }, outputs: { type: 'array', items: NAME, minItems: 1, uniqueItems: true }, outputSize: BYTES }, ['name', 'inputDrvs', 'inputSrcs', 'outputs', 'outputSize']),
    },
    sources: { type: 'array', maxItems: LIMITS.sources.value, items: obj({ name: NAME, contents: { type: 'string' }, size: BYTES }, ['name', 'contents', 'size']) },
    initial: obj(
      {
        drvs: { type: 'array', items: obj({ drv: NAME, built: { type: 'boolean' } }, ['drv', 'built']) },
        srcs: { type: 'array', items: NAME },
        roots: { type: 'array', items: obj({ link: TEXT, drv: NAME, output: { type: 'boolean' }, indirect: { type: 'boolean' } }, ['link', 'drv', 'output', 'indirect']) },
        junk: { type: 'array', items: obj({ name: TEXT, size: BYTES }, ['name', 'size']) },
      },
      ['drvs', 'srcs', 'roots', 'junk'],
    ),
    settings: obj(
      {
        minFree: SAFE,
        maxFree: SAFE,
        minFreeCheckInterval: SAFE,
        keepDerivations: { type: 'boolean' },
        keepOutputs: { type: 'boolean' },
        freeSpace: { type: ['integer', 'null'], minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        totalBytes: SAFE,
      },
      ['minFree', 'maxFree', 'minFreeCheckInterval', 'keepDerivations', 'keepOutputs', 'freeSpace', 'totalBytes'],
    ),
    processes: { type: 'array', minItems: 1, maxItems: LIMITS.processes.value, items: PROCESS },
    hooks: { type: 'array', items: obj({ process: TEXT, label: TEXT, occurrence: { type: 'integer', minimum: 1 }, barriers: { type: 'array', items: TEXT, minItems: 1 } }, ['process', 'label', 'barriers']) },
    crash: { type: 'array', items: obj({ process: TEXT, label: TEXT, occurrence: { type: 'integer', minimum: 1 }, signal: { enum: ['kill', 'term'] } }, ['process', 'label', 'signal']) },
  },
  ['name', 'derivations', 'sources', 'initial', 'settings', 'processes'],
);

export const SCHEDULE_SCHEMA: SchemaObject = obj(
  {
    schemaVersion: { const: 1 },
    kind: { const: 'rootrace.schedule' },
    seed: COUNT(0xffff_ffff),
    strategy: { type: 'string' },
    finding: { type: ['object', 'null'], properties: { kind: { enum: [...FINDING_KINDS] }, message: { type: 'string' } }, required: ['kind', 'message'], additionalProperties: false },
    eventHash: { type: 'string' },
    preemptions: SAFE,
    contextSwitches: SAFE,
    processSwitches: SAFE,
    profile: obj({ name: TEXT, nixVersion: { type: 'string' }, summary: { type: 'string' }, switches: SWITCHES_SCHEMA, daemon: RELEASE }, ['name', 'switches']),
    scenario: RUN_SCHEMA,
    decisions: {
      type: 'array',
      items: {
        type: 'array',
        minItems: 3,
        maxItems: 4,
        items: [{ type: 'string' }, { type: 'string' }, SAFE, { enum: ['kill', 'term'] }],
        expected: '[actor, label, seq] or [actor, label, seq, "kill"|"term"]',
      },
    },
  },
  ['schemaVersion', 'kind', 'seed', 'strategy', 'finding', 'eventHash', 'preemptions', 'contextSwitches', 'processSwitches', 'profile', 'scenario', 'decisions'],
  { expected: 'a rootrace schedule file (from explore or shrink)' },
);
