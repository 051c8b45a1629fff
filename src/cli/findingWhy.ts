/**
 * Why a finding happened on this profile (issue #13 item 3): the switch
 * behind its decisive step, where that value comes from — the release's own
 * (with the release where it was introduced and the one that fixed it, from
 * the release table), or an override (the scenario file's `set`, `--set`, a
 * variant P+switch=value), then the releases that have that value. Nothing
 * here names a scenario or a profile: every fact is the table's.
 */
import { SWITCH_DOCS, type SwitchName, type Switches } from '../messages/profile.js';
import type { CausalStep } from '../messages/result.js';
import { parseProfileSpec } from '../scenarios/file/entry.js';
import { familyTitle, releaseByName, releaseName } from '../scenarios/profiles.js';
import { releasesOf, sourceOf, type Release } from '../scenarios/releases.js';
import { releasesWith, switchHistory, type SwitchBoundary } from '../scenarios/switchHistory.js';

/** What a run was given: the profile specs (as typed), the daemon's, `--set`, and the scenario file's `set`. */
export interface ProfileContext {
  readonly spec: string;
  readonly daemonSpec: string | null;
  readonly cliSets: readonly string[];
  readonly fileSets: readonly string[];
}

type SwitchValue = string | number | boolean;

/** A release boundary for JSON: `{ release: 'nix-2.34.0', version: '2.34.0', value, ref }`. */
interface BoundaryJson {
  readonly release: string;
  readonly version: string;
  readonly value: SwitchValue;
  readonly ref: string;
}

export interface Why {
  /** The switch behind the decisive step, or null when none is recorded there. */
  readonly switch: { readonly name: string; readonly value: SwitchValue } | null;
  /** Where the value came from: the release table, or an override. */
  readonly source?: 'release' | 'scenario set' | '--set' | 'variant';
  /** The release whose value it is (or whose value was overridden). */
  readonly release?: string;
  readonly introduced?: BoundaryJson | null;
  readonly fixed?: BoundaryJson | null;
  /** For an override: the runs of releases that have this value. */
  readonly releasesWith?: readonly { readonly family: string; readonly from: string; readonly to: string; readonly ref: string }[];
  /** The sentence `run` prints after `why: `. */
  readonly text: string;
}

const setsOf = (sets: readonly string[], name: string): boolean => sets.some((s) => s.slice(0, s.indexOf('=')) === name);

/** `2.34.0` upstream, `Lix 2.94.0` for a fork: how the finding's lines name a release. */
function shown(r: Release): string {
  return r.family === 'upstream' ? r.version : `${familyTitle(r.family)} ${r.version}`;
}

function boundaryJson(b: SwitchBoundary | null): BoundaryJson | null {
  return b === null ? null : { release: releaseName(b.at), version: b.at.version, value: b.value, ref: b.ref };
}

/** The explanation of `chain`'s decisive step on the profile `ctx` describes. */
export function whyOf(chain: readonly CausalStep[], ctx: ProfileContext): Why {
  const decisive = chain.find((c) => c.decisive);
  const sw = decisive?.switch;
  if (!sw || !(sw.name in SWITCH_DOCS)) return { switch: null, text: 'no behaviour switch is recorded at the decisive step' };
  const name = sw.name as SwitchName;
  const head = `the decisive step follows ${name}=${String(sw.value)}`;
  const client = parseProfileSpec(ctx.spec);
  const daemon = ctx.daemonSpec === null ? null : parseProfileSpec(ctx.daemonSpec);
  const releases = [{ r: releaseByName(client.base), sets: client.sets }, ...(daemon ? [{ r: releaseByName(daemon.base), sets: daemon.sets }] : [])];
  const variantSets = releases.flatMap((x) => x.sets);
  const overridden = [ctx.cliSets, variantSets, ctx.fileSets].some((sets) => setsOf(sets, name));
  // The release whose own value it is: the clients' (a check is client code), else — when nothing overrode it — the daemon's.
  const own = releases.find((x, i) => sourceOf(x.r, name).value === sw.value && (i === 0 || !overridden));
  if (own) {
    const h = switchHistory(own.r, name);
    const since = h.introduced ? `introduced in ${shown(h.introduced.at)} (${h.introduced.ref})` : `unchanged since ${shown(releasesOf(own.r.family)[0]!)}, the first release modelled`;
    const until = h.changed
      ? `fixed in ${shown(h.changed.at)} (${h.changed.ref}), which has ${String(h.changed.value)}`
      : `still so in ${shown(h.latest)}, the latest release modelled`;
    return {
      switch: sw,
      source: 'release',
      release: releaseName(own.r),
      introduced: boundaryJson(h.introduced),
      fixed: boundaryJson(h.changed),
      text: `${head}, ${familyTitle(own.r.family)} ${own.r.version}'s value: ${since}; ${until}`,
    };
  }
  // Not the profile's release value: an override, or (none named) a process's own release in the scenario file.
  const source = setsOf(ctx.cliSets, name) ? '--set' : setsOf(variantSets, name) ? 'variant' : 'scenario set';
  const by =
    source === '--set' ? '--set'
    : source === 'variant' ? `the variant ${daemon && setsOf(daemon.sets, name) ? ctx.daemonSpec : ctx.spec}`
    : setsOf(ctx.fileSets, name) ? "the scenario's `set:`"
    : 'the scenario (a process of its own release)';
  const base = releases[0]!.r;
  const spans = releasesWith(name, sw.value as Switches[SwitchName]);
  const where = spans.length === 0
    ? `no release modelled has ${String(sw.value)}`
    : `releases with ${String(sw.value)}: ${spans.map((s) => `${familyTitle(s.family)} ${s.from.version === s.to.version ? s.from.version : `${s.from.version}–${s.to.version}`} (${s.ref})`).join('; ')}`;
  return {
    switch: sw,
    source,
    release: releaseName(base),
    releasesWith: spans.map((s) => ({ family: s.family, from: s.from.version, to: s.to.version, ref: s.ref })),
    text: `${head}, set by ${by} (${familyTitle(base.family)} ${base.version} has ${String(sourceOf(base, name).value)}); ${where}`,
  };
}
