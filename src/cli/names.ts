/**
 * Names on the command line — scenarios, profiles, switches — checked before
 * anything runs, so that a typo is one line that says what was probably meant.
 * The scenarios layer resolves them afterwards with its own (complete) messages.
 */
import { UsageError, isRootraceError } from '../messages/errors.js';
import { SWITCH_DOCS } from '../messages/profile.js';
import { catalogueNames } from '../scenarios/index.js';
import { looksLikePath } from '../scenarios/file/discover.js';
import { parseProfileSpec } from '../scenarios/file/entry.js';
import { FAMILIES, releaseByName, releaseName } from '../scenarios/profiles.js';
import { releasesOf, seriesOf } from '../scenarios/releases.js';
import { didYouMean } from './suggest.js';

/** A catalogue name or a scenario file's path; an unknown name suggests the closest one. */
export function scenarioArg(name: string): string {
  if (looksLikePath(name)) return name;
  const known = catalogueNames();
  if (known.includes(name)) return name;
  const s = didYouMean(name, known);
  if (s === null) return name; // the scenarios layer lists the catalogue
  throw new UsageError(`unknown scenario '${name}' (did you mean '${s}'?; rootrace scenarios lists the catalogue, or give a path to a .yaml/.json file)`);
}

let profileNames: string[] | null = null;

/** Every name a profile may have: each release, and each series (its latest release). */
function knownProfiles(): string[] {
  profileNames ??= FAMILIES.flatMap((f) => {
    const names = releasesOf(f).map(releaseName);
    const series = [...new Set(names.map((n) => n.replace(/^([a-z]+-)(.*)$/, (_, p: string, v: string) => `${p}${seriesOf(v)}`)))];
    return [...series, ...names];
  });
  return profileNames;
}

/** A profile name (one release); an unknown one suggests the closest known name. */
export function profileArg(name: string): string {
  try {
    releaseByName(name);
    return name;
  } catch (e) {
    if (!isRootraceError(e, 'rootrace.usage')) throw e;
    const head = `unknown profile '${name}'`;
    // A known series already lists its releases (`Lix released 2.92.0, 2.92.2, …`): nothing to guess.
    if (/ released | series ends at /.test(e.message)) throw e;
    // A known family's prefix is kept: `lix-2.100` is not a typo of `nix-2.10`.
    const known = knownProfiles();
    const prefix = /^[a-z]+-/.exec(name)?.[0];
    const same = prefix === undefined ? [] : known.filter((k) => k.startsWith(prefix));
    const s = didYouMean(name, same.length > 0 ? same : known);
    if (s === null) throw e;
    const rest = e.message.startsWith(head) ? e.message.slice(head.length).replace(/^: /, '; ').replace(/^ \((.*)\)$/, '; $1') : '';
    throw new UsageError(`${head} (did you mean '${s}'?)${rest}`);
  }
}

/**
 * A profile with optional switch overrides, `nix-2.33+rootReferencesInWriteDerivation=true`
 * (a variant for A/B, named as given): the release and each switch name are
 * checked here, the values where the variant is made (profilesFor).
 */
export function profileSpecArg(spec: string): string {
  return specOf(spec, '--profile');
}

/** `--daemon-profile P`, checked as `--profile` is. */
export function daemonProfileArg(spec: string): string {
  return specOf(spec, '--daemon-profile');
}

function specOf(spec: string, flag: string): string {
  const { base, sets } = parseProfileSpec(spec);
  try {
    profileArg(base);
  } catch (e) {
    // The option is the input the message names: `--profile nix-9.9: unknown profile 'nix-9.9' …`.
    if (isRootraceError(e, 'rootrace.usage')) throw new UsageError(`${flag} ${spec}: ${e.message}`);
    throw e;
  }
  const seen = new Set<string>();
  for (const s of sets) {
    const name = switchArg(s, `--profile ${spec}`).split('=')[0]!;
    if (seen.has(name)) throw new UsageError(`--profile ${spec}: switch '${name}' is set twice`);
    seen.add(name);
  }
  return spec;
}

/** `--set name=value`: an unknown switch suggests the closest one (values are checked where the switch is applied). */
export function switchArg(arg: string, flag = '--set'): string {
  const eq = arg.indexOf('=');
  if (eq < 1) throw new UsageError(`${flag} expects name=value, got '${arg}'`);
  const name = arg.slice(0, eq);
  const known = Object.keys(SWITCH_DOCS);
  if (known.includes(name)) return arg;
  const s = didYouMean(name, known);
  throw new UsageError(`unknown switch '${name}' in ${flag}${s === null ? '' : ` (did you mean '${s}'?)`} (known: ${known.join(', ')})`);
}
