/**
 * Nix version profiles: named bundles of documented switches (messages/profile.ts).
 * A profile only flips switches; the engine never looks at a profile's name.
 */
import { UsageError } from '../messages/errors.js';
import { SWITCH_DOCS, type Profile, type SwitchName, type Switches } from '../messages/profile.js';
import { UPSTREAM, UPSTREAM_SERIES, switchesAt } from './releases.js';

/** The catalogue's four profiles (what `check` runs by default): each the latest patch of its series. */
const NAMED: readonly { readonly name: string; readonly summary: string }[] = [
  { name: 'nix-2.8', summary: 'Debian’s Nix: writeDerivation always adds (rooted in the worker); GC aborts on PathInUse; ENOENT on gc-socket swallowed, the fd kept; addTempRoot holds _state across the socket wait' },
  { name: 'nix-2.33', summary: 'PR #14219: writeDerivation returns early on a valid drv without a temp root (the PR #15158 race)' },
  { name: 'nix-2.34', summary: 'PR #15237: addTempRoot before the early return; daemon workers leak temproots files (#16222); deletion loop ignores late roots' },
  { name: 'nix-2.35', summary: 'PR #15992: deletion loop re-checks late temp roots; temproots leak fixed in 2.35.2' },
];

/**
 * The profile of one release, derived from the switch table: `nix-2.24` (the
 * series' latest patch), `nix-2.24.12`, `nix-2.3`. Unknown names and versions
 * are usage errors that list what is known.
 */
export function profileByName(name: string): Profile {
  const m = /^nix-(\d+\.\d+)(?:\.(\d+))?$/.exec(name);
  const series = m ? m[1]! : null;
  const last = series !== null ? UPSTREAM_SERIES[series] : undefined;
  if (!m || last === undefined) {
    const first = Object.keys(UPSTREAM_SERIES)[0]!;
    const newest = Object.entries(UPSTREAM_SERIES).at(-1)!;
    throw new UsageError(`unknown profile '${name}' (known: nix-<series> or nix-<release> for upstream ${first}.0 … ${newest[0]}.${newest[1]}, e.g. ${NAMED.map((x) => x.name).join(', ')}, nix-2.24.12)`);
  }
  const patch = m[2] === undefined ? last : Number(m[2]);
  if (patch > last) throw new UsageError(`unknown profile '${name}': the ${series} series ends at ${series}.${last}`);
  const version = `${series}.${patch}`;
  const named = NAMED.find((x) => x.name === name);
  return { name, nixVersion: version, summary: named?.summary ?? `NixOS/nix ${version}`, switches: switchesAt(UPSTREAM, version) };
}

export const PROFILES: readonly Profile[] = NAMED.map((x) => profileByName(x.name));

/** Applies `--set name=value` overrides; unknown switches and bad values are usage errors. */
export function withOverrides(p: Profile, sets: readonly string[]): Profile {
  if (sets.length === 0) return p;
  const switches: Record<string, unknown> = { ...p.switches };
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq < 1) throw new UsageError(`--set expects name=value, got '${s}'`);
    const name = s.slice(0, eq);
    const raw = s.slice(eq + 1);
    if (!(name in SWITCH_DOCS)) throw new UsageError(`unknown switch '${name}' in --set (known: ${Object.keys(SWITCH_DOCS).join(', ')})`);
    const doc = SWITCH_DOCS[name as SwitchName];
    let value: string | number | boolean;
    if (doc.values === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`--set ${name} expects a non-negative number, got '${raw}'`);
    } else {
      const match = doc.values.find((v) => String(v) === raw);
      if (match === undefined) throw new UsageError(`--set ${name} expects one of ${doc.values.join(', ')}, got '${raw}'`);
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
