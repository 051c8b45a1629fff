/**
 * A sweep document as `merge` reads it (from `sweep --export-json`): the file
 * within the input limits, JSON syntax at its line, and the fields merge uses
 * checked by a schema, so a truncated or edited shard is one UsageError naming
 * the file, the line and the field rather than a crash halfway through.
 */
import type { SchemaObject } from 'ajv';
import type { SweepDocument } from '../../messages/sweep.js';
import { readDocument, validateAgainst } from '../file/load.js';
import { readInputFile } from '../file/readInput.js';

const INT: SchemaObject = { type: 'integer', minimum: 0 };
const NUM: SchemaObject = { type: 'number', minimum: 0 };
const STR: SchemaObject = { type: 'string' };

const axis = (name: SchemaObject): SchemaObject => ({
  type: 'object',
  required: ['name', 'values'],
  properties: { name, values: { type: 'array', minItems: 1, items: { type: ['string', 'integer'] } } },
});

const RUN: SchemaObject = {
  type: 'object',
  required: ['point', 'run', 'seed', 'finding', 'kinds', 'firstFindingUs', 'wallMs', 'storeOps'],
  properties: {
    point: STR,
    run: INT,
    seed: INT,
    finding: { type: 'boolean' },
    kinds: { type: 'array', items: STR },
    firstFindingUs: { type: ['number', 'null'], minimum: 0 },
    wallMs: NUM,
    storeOps: NUM,
    modelMs: NUM,
    iterations: { type: 'object', additionalProperties: { type: 'object', required: ['total', 'failed'], properties: { total: INT, failed: INT } } },
    trace: STR,
  },
};

/** What merge reads of a sweep document; other fields (written by newer renderers) pass through. */
export const SHARD_SCHEMA: SchemaObject = {
  type: 'object',
  expected: 'a sweep document (from sweep --export-json)',
  required: ['schemaVersion', 'tool', 'platform', 'scenario', 'runtime', 'rootSeed', 'runsPerPoint', 'axes', 'wallMs', 'runs'],
  properties: {
    schemaVersion: { const: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'rootrace' }, version: STR } },
    platform: { type: 'object', required: ['cores'], properties: { cores: { type: 'integer', minimum: 1 } } },
    scenario: STR,
    runtime: { enum: ['threads', 'sim'] },
    rootSeed: INT,
    runsPerPoint: { type: 'integer', minimum: 1 },
    // The first axis is the profiles (runSweep writes it so).
    axes: { type: 'array', minItems: 1, items: [axis({ const: 'profile' })], additionalItems: axis(STR) },
    shard: { type: 'string', pattern: '^[0-9]+/[0-9]+$', expected: 'i/n' },
    inputs: STR,
    interrupted: { type: 'object', required: ['signal', 'runsPlanned'], properties: { signal: STR, runsPlanned: INT } },
    wallMs: NUM,
    runs: { type: 'array', items: RUN },
  },
};

export function readShard(file: string): { file: string; doc: SweepDocument } {
  const text = readInputFile(file, 'sweep file');
  const { data, at } = readDocument(file, text, 'json');
  validateAgainst(SHARD_SCHEMA, data, at);
  return { file, doc: data as SweepDocument };
}
