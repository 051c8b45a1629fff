/**
 * The JSON Schema of scenario files (format.ts), for ajv. Unknown fields are
 * errors everywhere. Two annotation keywords feed the error messages (load.ts):
 * `expected` (what the value should look like, in words) and `fieldKind` (what
 * an unknown key of that object names: a switch, a profile, a step operation).
 */
import type { SchemaObject } from 'ajv';
import { SWITCH_DOCS } from '../../messages/profile.js';
import { FINDING_KINDS, SCHEMA_VERSION, STEP_OPS, type ArgKind, type StepOpDef } from './format.js';
import { LIMITS } from './limits.js';

export const ANNOTATIONS = ['expected', 'fieldKind'] as const;

const INT: SchemaObject = {
  type: ['integer', 'string'],
  expected: 'an integer or an expression over parameters such as "$evaluators" or "$free + 4096"',
  if: { type: 'string' },
  then: { pattern: '^[-+*()\\s0-9A-Za-z_${}]+$', expected: 'an integer expression: integers, $parameters, + - * and parentheses' },
};
const NIX_NAME: SchemaObject = {
  type: 'string',
  pattern: '^([A-Za-z0-9+_?=-]|\\{[in]\\})([A-Za-z0-9+._?=-]|\\{[in]\\})*$',
  expected: 'a store name: letters, digits and + - . _ ? = (not starting with a dot); {n} for the loop iteration',
};
/** An input of a derivation: a name, or a pattern in which `*` matches any characters (`lib-*`). */
const INPUT_NAME: SchemaObject = {
  type: 'string',
  pattern: '^([A-Za-z0-9+_?=*-]|\\{[in]\\})([A-Za-z0-9+._?=*-]|\\{[in]\\})*$',
  expected: 'a store name (letters, digits and + - . _ ? =), or a pattern where * matches any characters',
};
const PROCESS_NAME: SchemaObject = { type: 'string', pattern: '^([A-Za-z0-9+._-]|\\{i\\})+$', expected: 'a process name: letters, digits and + - . _' };
const TEXT: SchemaObject = { type: 'string', minLength: 1, expected: 'a non-empty string' };
/** An actor to crash: a process, its daemon worker `W(…)`, an auto-GC thread `gc-thread(…)`; checked further on expansion. */
const ACTOR_NAME: SchemaObject = {
  type: 'string',
  pattern: '^((W|gc-thread)\\()*([A-Za-z0-9+._-]|\\{i\\})+\\)*$',
  expected: 'an actor: PROCESS, W(PROCESS) or gc-thread(W(PROCESS))',
};
const NAMES = (item: SchemaObject): SchemaObject => ({ type: 'array', items: item });
const REF: SchemaObject = {
  type: 'string',
  pattern: '^((lock|chroot):)*(drv|out|src|junk):.+$',
  expected: 'an object reference: drv:NAME, out:NAME[:OUTPUT], src:NAME, junk:NAME, or lock:/chroot: before one of these',
};
/** A profile name; whether that release is known is checked on expansion (profileByName), at the same field. */
const PROFILE_PATTERN = '(nix|lix|determinate)-[0-9]+\\.[0-9]+(\\.[0-9]+)?';
const PROFILE: SchemaObject = { type: 'string', pattern: `^${PROFILE_PATTERN}$`, expected: 'a profile name such as nix-2.33, nix-2.24.12, lix-2.93 or determinate-3.17' };

function obj(properties: Record<string, SchemaObject>, required: readonly string[] = [], extra: SchemaObject = {}): SchemaObject {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

const ARG: Record<ArgKind, SchemaObject> = { drv: NIX_NAME, src: NIX_NAME, process: PROCESS_NAME, barrier: TEXT, link: TEXT, int: INT, bool: { type: 'boolean' } };

function fieldsOf(def: StepOpDef): Record<string, SchemaObject> {
  return Object.fromEntries(Object.entries(def.fields).map(([k, kind]) => [k, ARG[kind]]));
}
const requiredOf = (def: StepOpDef): string[] => Object.keys(def.fields).filter((k) => !def.optional.includes(k));
const defs: [string, StepOpDef][] = Object.entries(STEP_OPS);

/** `{ op: instantiate, drv: foo }`: one branch per op, picked by `op`. */
const FULL_STEP: SchemaObject = {
  type: 'object',
  required: ['op'],
  discriminator: { propertyName: 'op' },
  oneOf: defs.map(([op, def]) => obj({ op: { const: op }, ...fieldsOf(def) }, requiredOf(def))),
};

/** The value of a shorthand `<op>: …`: the arg's value, or an object (or null) of the op's fields. */
function shortValue(def: StepOpDef): SchemaObject {
  if (def.arg !== undefined) return ARG[def.fields[def.arg]!];
  const req = requiredOf(def);
  if (req.length > 0) return obj(fieldsOf(def), req);
  return { type: ['object', 'null'], properties: fieldsOf(def), additionalProperties: false, expected: 'an object of its fields, {} or nothing' };
}

const ONE_OP = 'one operation per step, such as "instantiate: NAME" (only instantiate may add "addRoot: LINK")';
/** Unknown keys are reported first (allOf runs in order), then the one-operation rule. */
const SHORT_STEP: SchemaObject = {
  type: 'object',
  minProperties: 1,
  expected: ONE_OP,
  allOf: [
    {
      properties: Object.fromEntries(defs.map(([op, def]) => [op, op === 'addRoot' ? {} : shortValue(def)])),
      additionalProperties: false,
      fieldKind: 'step operation',
    },
    {
      if: { required: ['instantiate'] },
      then: { type: 'object', properties: { addRoot: TEXT }, propertyNames: { enum: ['instantiate', 'addRoot'], expected: ONE_OP } },
      else: { type: 'object', maxProperties: 1, properties: { addRoot: shortValue(STEP_OPS.addRoot) }, expected: ONE_OP },
    },
  ],
};

const STEP: SchemaObject = {
  type: 'object',
  expected: 'a step: "<op>: <argument>" or an object with "op"',
  if: { required: ['op'] },
  then: FULL_STEP,
  else: SHORT_STEP,
};

const PARAMETER: SchemaObject = {
  type: ['integer', 'object'],
  expected: 'an integer default, or { default, min, max, doc }',
  if: { type: 'object' },
  then: obj({ default: { type: 'integer' }, min: { type: 'integer' }, max: { type: 'integer' }, doc: { type: 'string' } }, ['default']),
};

const SWITCHES: SchemaObject = obj(
  Object.fromEntries(
    Object.entries(SWITCH_DOCS).map(([k, d]) => [k, d.values === 'number' ? { type: 'number', minimum: 0, maximum: LIMITS.sleepMs.value } : { enum: [...d.values] }]),
  ),
  [],
  { fieldKind: 'switch' },
);

const SETTINGS = obj({
  'min-free': INT,
  'max-free': INT,
  'min-free-check-interval': INT,
  'keep-derivations': { type: 'boolean' },
  'keep-outputs': { type: 'boolean' },
  'free-space': { ...INT, type: ['integer', 'string', 'null'], expected: 'an integer, an expression over parameters, or null' },
  'total-bytes': INT,
});

const JUNK: SchemaObject = {
  ...obj({ name: NIX_NAME, of: REF, suffix: TEXT, size: INT }),
  expected: 'junk as { name, size } or { of: REF, suffix, size }',
  if: { required: ['name'] },
  then: { propertyNames: { enum: ['name', 'size'], expected: 'junk as { name, size } or { of: REF, suffix, size }' } },
  else: { required: ['of', 'suffix'] },
};

const STORE = obj({
  drvs: NAMES(obj({ drv: NIX_NAME, built: { type: 'boolean' } }, ['drv'])),
  srcs: NAMES(NIX_NAME),
  roots: NAMES(obj({ link: TEXT, target: { ...REF, pattern: '^(drv|out):.+$', expected: 'drv:NAME or out:NAME' }, indirect: { type: 'boolean' } }, ['link', 'target'])),
  junk: NAMES(JUNK),
  junkForAll: { type: 'array', items: TEXT, uniqueItems: true },
});

const FINDINGS: SchemaObject = {
  type: ['string', 'array'],
  expected: '"none", "any" or a list of finding kinds',
  if: { type: 'string' },
  then: { enum: ['none', 'any'] },
  else: { items: { enum: [...FINDING_KINDS] }, minItems: 1, uniqueItems: true },
};
const EXPECTATION = obj({ findings: FINDINGS, kept: NAMES(REF), deleted: NAMES(REF), errors: { type: 'array', items: { type: 'string', minLength: 1 } } });

const repeatable = (properties: Record<string, SchemaObject>, required: string[]): SchemaObject =>
  obj({ ...properties, repeat: INT }, required);

export const SCENARIO_SCHEMA: SchemaObject = obj(
  {
    schemaVersion: { const: SCHEMA_VERSION },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', expected: 'lower-case letters, digits and dashes' },
    summary: TEXT,
    source: TEXT,
    profile: PROFILE,
    set: SWITCHES,
    parameters: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', expected: 'a parameter name: letters, digits and _' }, additionalProperties: PARAMETER },
    settings: SETTINGS,
    costs: { type: ['string', 'object'], expected: 'default, zero, or an object of cost fields in milliseconds' },
    sources: NAMES(repeatable({ name: NIX_NAME, contents: { type: 'string' }, size: INT }, ['name'])),
    derivations: NAMES(
      repeatable(
        { name: NIX_NAME, inputDrvs: NAMES(INPUT_NAME), inputSrcs: NAMES(INPUT_NAME), outputs: { type: 'array', items: NIX_NAME, minItems: 1, uniqueItems: true }, outputSize: INT },
        ['name'],
      ),
    ),
    store: STORE,
    processes: { type: 'array', minItems: 1, items: repeatable({ name: PROCESS_NAME, kind: { enum: ['evaluator', 'nix-collect-garbage'] }, store: { enum: ['daemon', 'local'] }, evalStore: { enum: ['daemon', 'local'] }, nix: { type: 'string', minLength: 1 }, spawned: { type: 'boolean' }, loop: obj({ times: INT, for: INT, onError: { enum: ['continue', 'stop'] } }, [], { anyOf: [{ required: ['times'], expected: "'times: N' (iterations), 'for: MS' (model time) or both" }, { required: ['for'] }] }), steps: NAMES(STEP) }, ['name', 'kind', 'steps']) },
    hooks: NAMES(repeatable({ process: PROCESS_NAME, label: TEXT, occurrence: INT, barriers: { type: 'array', items: TEXT, minItems: 1 } }, ['process', 'label', 'barriers'])),
    crash: NAMES(repeatable({ process: ACTOR_NAME, label: TEXT, occurrence: INT, signal: { enum: ['kill', 'term'] } }, ['process', 'label'])),
    expect: { type: 'object', propertyNames: { pattern: `^(default|${PROFILE_PATTERN})$`, expected: 'default or a profile name such as nix-2.33' }, additionalProperties: EXPECTATION, fieldKind: 'profile' },
    profiles: { type: 'array', items: PROFILE, minItems: 1, uniqueItems: true },
  },
  ['schemaVersion', 'name', 'summary', 'source', 'processes'],
  { expected: 'a scenario: { schemaVersion: 1, name, summary, source, processes, … }' },
);
