/**
 * Nix version profiles: named bundles of documented switches (messages/profile.ts).
 * A profile only flips switches; the engine never looks at a profile's name.
 */
import { UsageError } from '../messages/errors.js';
import { SWITCH_DOCS, type Profile, type SwitchName, type Switches } from '../messages/profile.js';
import { DETERMINATE, LIX, compareVersions, releasesOf, seriesOf, switchesOf, type Family, type Release } from './releases.js';
import { LIMITS } from './file/limits.js';

/** The catalogue's four profiles (what `check` runs by default): each the latest patch of its series. */
const NAMED: readonly { readonly name: string; readonly summary: string }[] = [
  { name: 'nix-2.8', summary: 'Debian’s Nix: writeDerivation always adds (rooted in the worker); GC aborts on PathInUse; ENOENT on gc-socket swallowed, the fd kept; addTempRoot holds _state across the socket wait' },
  { name: 'nix-2.33', summary: 'PR #14219: writeDerivation returns early on a valid drv without a temp root (the PR #15158 race)' },
  { name: 'nix-2.34', summary: 'PR #15237: addTempRoot before the early return; daemon workers leak temproots files (#16222); deletion loop ignores late roots' },
  { name: 'nix-2.35', summary: 'PR #15992: deletion loop re-checks late temp roots; temproots leak fixed in 2.35.2' },
];

/** How a family's profiles are named, and what the family is called in messages. */
const FAMILY_NAMES: Readonly<Record<Family, { readonly prefix: string; readonly title: string }>> = {
  upstream: { prefix: 'nix', title: 'upstream' },
  lix: { prefix: LIX.prefix, title: LIX.title },
  determinate: { prefix: DETERMINATE.prefix, title: DETERMINATE.title },
};

export const FAMILIES: readonly Family[] = ['upstream', 'lix', 'determinate'];

/** `nix-2.33.6`, `lix-2.93.3`, `determinate-3.17.1`: the profile name of one release. */
export function releaseName(r: Release): string {
  return `${FAMILY_NAMES[r.family].prefix}-${r.version}`;
}

/** `upstream`, `Lix`, `Determinate Nix`. */
export function familyTitle(f: Family): string {
  return FAMILY_NAMES[f].title;
}

/** `upstream 2.33.6`, `Lix 2.93.3`: a release for humans. */
export function releaseLabel(r: Release): string {
  return `${familyTitle(r.family)} ${r.version}`;
}

function knownRanges(): string {
  const ranges = FAMILIES.map((f) => {
    const all = releasesOf(f);
    const prefix = FAMILY_NAMES[f].prefix;
    return `${prefix}-<series> or ${prefix}-<release> for ${FAMILY_NAMES[f].title} ${all[0]!.version} … ${all.at(-1)!.version}`;
  });
  return `known: ${ranges.join('; ')}; e.g. ${[...NAMED.map((x) => x.name), 'nix-2.24.12', 'lix-2.93', 'determinate-3.17.1'].join(', ')}`;
}

/**
 * The release a profile name stands for: `nix-2.24` (the series' latest patch),
 * `nix-2.24.12`, `nix-2.3`, `lix-2.93`, `lix-2.93.3`, `determinate-3.17`,
 * `determinate-3.17.1`. Unknown names and versions are usage errors that list
 * what is known.
 */
export function releaseByName(name: string): Release {
  const m = /^([a-z]+)-(\d+\.\d+)(?:\.(\d+))?$/.exec(name);
  const family = m ? FAMILIES.find((f) => FAMILY_NAMES[f].prefix === m[1]) : undefined;
  if (!m || family === undefined) throw new UsageError(`unknown profile '${name}' (${knownRanges()})`);
  const series = m[2]!;
  const inSeries = releasesOf(family).filter((r) => seriesOf(r.version) === series);
  const title = FAMILY_NAMES[family].title;
  if (inSeries.length === 0) throw new UsageError(`unknown profile '${name}': ${title} has no ${series} series (${knownRanges()})`);
  if (m[3] === undefined) return inSeries.at(-1)!;
  const found = inSeries.find((r) => r.version === `${series}.${m[3]}`);
  if (found) return found;
  const last = inSeries.at(-1)!.version;
  if (family === 'upstream' || compareVersions(`${series}.${m[3]}`, last) > 0) throw new UsageError(`unknown profile '${name}': the ${title} ${series} series ends at ${last}`);
  throw new UsageError(`unknown profile '${name}': ${title} released ${inSeries.map((r) => r.version).join(', ')} in the ${series} series`);
}

/** The profile of one release, derived from the switch table (and, for a fork, its own ranges over its base). */
export function profileOf(r: Release, name = releaseName(r)): Profile {
  const named = NAMED.find((x) => x.name === name);
  const summary = named?.summary ?? (r.base === null ? `NixOS/nix ${r.version}` : `${releaseLabel(r)} on upstream ${r.base}`);
  return { name, nixVersion: r.family === 'upstream' ? r.version : releaseLabel(r), summary, switches: switchesOf(r) };
}

/** The profile a name stands for (see releaseByName); the profile keeps the name as given. */
export function profileByName(name: string): Profile {
  return profileOf(releaseByName(name), name);
}

export const PROFILES: readonly Profile[] = NAMED.map((x) => profileByName(x.name));

/**
 * Applies `name=value` switch overrides (`--set`, or those after a profile's
 * name, `nix-2.33+name=value`: `flag` names where they came from in messages).
 * Unknown switches, bad values and a switch set twice are usage errors.
 */
export function withOverrides(p: Profile, sets: readonly string[], flag = '--set'): Profile {
  if (sets.length === 0) return p;
  const switches: Record<string, unknown> = { ...p.switches };
  const given = new Set<string>();
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq < 1) throw new UsageError(`${flag} expects name=value, got '${s}'`);
    const name = s.slice(0, eq);
    const raw = s.slice(eq + 1);
    if (!(name in SWITCH_DOCS)) throw new UsageError(`unknown switch '${name}' in ${flag} (known: ${Object.keys(SWITCH_DOCS).join(', ')})`);
    if (given.has(name)) throw new UsageError(`${flag}: switch '${name}' is set twice`);
    given.add(name);
    const doc = SWITCH_DOCS[name as SwitchName];
    const what = flag === '--set' ? `--set ${name}` : `${flag}: ${name}`;
    let value: string | number | boolean;
    if (doc.values === 'number') {
      // Decimal only: 0x10 and 1e3 are numbers to JavaScript, not what a user means by a delay.
      value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(value)) throw new UsageError(`${what} expects a non-negative number, got '${raw}'`);
      if (value > LIMITS.sleepMs.value) throw new UsageError(`${what} expects at most ${LIMITS.sleepMs.value} (${LIMITS.sleepMs.why}), got '${raw}'`);
    } else {
      const match = doc.values.find((v) => String(v) === raw);
      if (match === undefined) throw new UsageError(`${what} expects one of ${doc.values.join(', ')}, got '${raw}'`);
      value = match;
    }
    switches[name] = value;
  }
  return { ...p, name: `${p.name}+${sets.join('+')}`, switches: switches as unknown as Switches };
}

/** The README's switch table (Markdown), rendered from the profiles and SWITCH_DOCS so it cannot drift. */
export function switchTableMarkdown(): string {
  const head = `| switch | ${PROFILES.map((p) => p.name).join(' | ')} | what it models |`;
  const rule = `|---|${PROFILES.map(() => '---|').join('')}---|`;
  const rows = (Object.keys(SWITCH_DOCS) as SwitchName[]).map(
    (k) => `| \`${k}\` | ${PROFILES.map((p) => `\`${String(p.switches[k])}\``).join(' | ')} | ${SWITCH_DOCS[k].doc.replace(/\|/g, '\\|')} |`,
  );
  return [head, rule, ...rows].join('\n');
}
