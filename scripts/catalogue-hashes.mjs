#!/usr/bin/env node
/**
 * The sim event-stream hash of every catalogue scenario (default parameters,
 * the file's own profile settings) on nix-2.8, 2.33, 2.34 and 2.35 at seed 1:
 * the golden file test/fixtures/catalogue-hashes.json that
 * test/integration/catalogueHashes.test.ts compares against. A change to the
 * sim kernel or the event stream that is meant to keep every interleaving
 * (a speed-up) must leave these unchanged; a change to a modelled mechanism
 * changes some, and regenerating them (`node scripts/catalogue-hashes.mjs
 * --write`, after `npm run build`) is part of that change.
 */
import { writeFileSync } from 'node:fs';
import { SimRuntime } from '../dist/src/runtime/index.js';
import { catalogueNames, openScenario, profilesFor } from '../dist/src/scenarios/index.js';

export const PROFILES = ['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35'];
export const SEED = 1;

export async function catalogueHashes() {
  const rt = new SimRuntime();
  const out = {};
  for (const name of catalogueNames()) {
    const x = openScenario(name).expand([]);
    for (const p of profilesFor(x, PROFILES, [])) out[`${name} ${p.name}`] = (await rt.run(x.run, p, SEED)).sim.eventHash;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const hashes = await catalogueHashes();
  const text = `${JSON.stringify(hashes, null, 1)}\n`;
  if (process.argv.includes('--write')) writeFileSync(new URL('../test/fixtures/catalogue-hashes.json', import.meta.url), text);
  else process.stdout.write(text);
}
