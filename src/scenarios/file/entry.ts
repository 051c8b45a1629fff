/**
 * Scenarios by name or path: a scenario file given on the command line, or a
 * file of the built-in catalogue (the package's `scenarios/` folder).
 */
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../../messages/errors.js';
import type { Profile } from '../../messages/profile.js';
import { profileByName, withOverrides } from '../profiles.js';
import { catalogueFiles, looksLikePath } from './discover.js';
import { expandScenario, type ExpandedScenario } from './expand.js';
import { loadScenarioFile, type ScenarioDoc } from './load.js';

export interface ScenarioEntry {
  readonly name: string;
  readonly summary: string;
  /** The Nix issue or PR it comes from. */
  readonly source: string;
  /** The scenario file. */
  readonly file: string;
  /** The file verbatim, or null. */
  readonly text: string;
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

/** A catalogue file must be named after itself, so `run <name>` and the file agree. */
function fromCatalogueFile(name: string, file: string): ScenarioEntry {
  const doc = loadScenarioFile(file);
  if (doc.data.name !== name) throw doc.at.error(['name'], `expected '${name}' (a catalogue file's name is its file name), got '${doc.data.name}'`);
  return fromDoc(doc);
}

/** Every catalogue scenario, loaded and validated, sorted by name. */
export function listScenarios(dir?: string): ScenarioEntry[] {
  const files = catalogueFiles(dir);
  const all = files.map((f) => fromCatalogueFile(f.name, f.file));
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
  return [...new Set(files)].sort();
}

/** A path (containing '/' or ending .yaml/.yml/.json) loads that file; anything else is a catalogue name. */
export function openScenario(nameOrPath: string, dir?: string): ScenarioEntry {
  if (looksLikePath(nameOrPath)) return fromDoc(loadScenarioFile(resolvePath(nameOrPath)));
  const file = catalogueFiles(dir).find((f) => f.name === nameOrPath);
  if (file) return fromCatalogueFile(file.name, file.file);
  throw new UsageError(`unknown scenario '${nameOrPath}' (built in: ${catalogueNames(dir).join(', ')}; or give a path to a .yaml/.json file)`);
}

/** `nix-2.33+rootReferencesInWriteDerivation=true`: a profile's name and the switch overrides after it (a variant, for A/B). */
export function parseProfileSpec(spec: string): { readonly base: string; readonly sets: readonly string[] } {
  const [base, ...sets] = spec.split('+');
  return { base: base!, sets };
}

/**
 * Profiles by name with the file's `set` applied (keeping the profile's name),
 * then a variant's own overrides (`P+switch=value`, named as given), then the
 * command line's `--set` (which may not name a switch a variant sets). With
 * `daemon` (`--daemon-profile`), the daemon's workers and the collectors run
 * that release instead (actors/versions.ts); the overrides apply to both.
 */
export function profilesFor(x: ExpandedScenario, names: readonly string[], cliSets: readonly string[], daemon?: string): Profile[] {
  const cliSwitches = new Set(cliSets.map((s) => s.slice(0, s.indexOf('='))));
  const resolve = (spec: string): Profile => {
    const { base, sets } = parseProfileSpec(spec);
    const p = profileByName(base);
    const withFile = x.sets.length > 0 ? { ...withOverrides(p, x.sets), name: p.name } : p;
    const both = sets.map((s) => s.slice(0, s.indexOf('='))).find((k) => cliSwitches.has(k));
    if (both !== undefined) throw new UsageError(`switch '${both}' is set both by --profile ${spec} and by --set: set it in one place`);
    const variant = sets.length > 0 ? { ...withOverrides(withFile, sets, `--profile ${spec}`), name: spec } : withFile;
    return withOverrides(variant, cliSets);
  };
  const d = daemon === undefined ? null : resolve(daemon);
  return names.map((n) => {
    const p = resolve(n);
    return d ? { ...p, name: `${p.name}+daemon:${d.name}`, daemon: { name: d.name, switches: d.switches } } : p;
  });
}
