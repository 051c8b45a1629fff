/**
 * Scenarios by name or path: a scenario file given on the command line, a file
 * of the built-in catalogue (the package's `scenarios/` folder), or a scenario
 * still built in TypeScript (catalogue.ts) that no catalogue file replaces yet.
 */
import { resolve as resolvePath } from 'node:path';
import { resolve } from '../../actors/derivations.js';
import { UsageError } from '../../messages/errors.js';
import type { Profile } from '../../messages/profile.js';
import { CATALOGUE, buildScenario, type CatalogueEntry } from '../catalogue.js';
import { profileByName, withOverrides } from '../profiles.js';
import { catalogueFiles, looksLikePath } from './discover.js';
import { expandScenario, type ExpandedScenario } from './expand.js';
import { resolveExpectations } from './expectations.js';
import { DEFAULT_CHECK_PROFILES } from './format.js';
import { loadScenarioFile, type ScenarioDoc } from './load.js';
import { Locator } from './where.js';

export interface ScenarioEntry {
  readonly name: string;
  readonly summary: string;
  /** The Nix issue or PR it comes from. */
  readonly source: string;
  /** The scenario file, or null for a scenario built in TypeScript. */
  readonly file: string | null;
  /** The file verbatim, or null. */
  readonly text: string | null;
  /** Applies `--param k=v` and resolves everything; bad input is a UsageError. */
  expand(paramArgs?: readonly string[]): ExpandedScenario;
}

function fromDoc(doc: ScenarioDoc): ScenarioEntry {
  return {
    name: doc.data.name,
    summary: doc.data.summary,
    source: doc.data.source,
    file: doc.file,
    text: doc.text,
    expand: (paramArgs = []) => expandScenario(doc, paramArgs),
  };
}

/** The pre-file TypeScript entries keep `run`'s old default profile (nix-2.33). */
function fromBuiltin(e: CatalogueEntry): ScenarioEntry {
  return {
    name: e.name,
    summary: e.summary,
    source: e.source,
    file: null,
    text: null,
    expand: (paramArgs = []) => {
      const run = buildScenario(e.name, paramArgs);
      const given = Object.fromEntries(paramArgs.map((a) => [a.slice(0, a.indexOf('=')), Number(a.slice(a.indexOf('=') + 1))]));
      return {
        run,
        parameters: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, { default: v, min: 1, max: Number.MAX_SAFE_INTEGER, doc: '' }])),
        params: { ...e.params, ...given },
        sets: [],
        defaultProfile: 'nix-2.33',
        profiles: DEFAULT_CHECK_PROFILES,
        expectations: resolveExpectations(new Locator(`built-in scenario ${e.name}`, null, null), e.expect, resolve(run)),
      };
    },
  };
}

/** A catalogue file must be named after itself, so `run <name>` and the file agree. */
function fromCatalogueFile(name: string, file: string): ScenarioEntry {
  const doc = loadScenarioFile(file);
  if (doc.data.name !== name) throw doc.at.error(['name'], `expected '${name}' (a catalogue file's name is its file name), got '${doc.data.name}'`);
  return fromDoc(doc);
}

/** Every catalogue scenario, loaded and validated, sorted by name. A file wins over a TypeScript entry of the same name. */
export function listScenarios(dir?: string): ScenarioEntry[] {
  const files = catalogueFiles(dir);
  const fileNames = new Set(files.map((f) => f.name));
  const all = [...files.map((f) => fromCatalogueFile(f.name, f.file)), ...CATALOGUE.filter((e) => !fileNames.has(e.name)).map(fromBuiltin)];
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** Names only, without reading any file (for help text). */
export function catalogueNames(dir?: string): string[] {
  let files: string[] = [];
  try {
    files = catalogueFiles(dir).map((f) => f.name);
  } catch {
    // A broken catalogue is reported by the commands that use it, not by help.
  }
  return [...new Set([...files, ...CATALOGUE.map((e) => e.name)])].sort();
}

/** A path (containing '/' or ending .yaml/.yml/.json) loads that file; anything else is a catalogue name. */
export function openScenario(nameOrPath: string, dir?: string): ScenarioEntry {
  if (looksLikePath(nameOrPath)) return fromDoc(loadScenarioFile(resolvePath(nameOrPath)));
  const file = catalogueFiles(dir).find((f) => f.name === nameOrPath);
  if (file) return fromCatalogueFile(file.name, file.file);
  const builtin = CATALOGUE.find((e) => e.name === nameOrPath);
  if (builtin) return fromBuiltin(builtin);
  throw new UsageError(`unknown scenario '${nameOrPath}' (built in: ${catalogueNames(dir).join(', ')}; or give a path to a .yaml/.json file)`);
}

/** Profiles by name with the file's `set` applied (keeping the profile's name), then the command line's `--set`. */
export function profilesFor(x: ExpandedScenario, names: readonly string[], cliSets: readonly string[]): Profile[] {
  return names.map((n) => {
    const p = profileByName(n);
    const withFile = x.sets.length > 0 ? { ...withOverrides(p, x.sets), name: p.name } : p;
    return withOverrides(withFile, cliSets);
  });
}
