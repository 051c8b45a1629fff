/**
 * A switch value's history in the release table (issue #13 item 3): where the
 * value a release has began, where it next changed, and which releases of
 * every family have it. Read from the table alone (releases.ts), so a
 * finding's "introduced in 2.33.0 (18ec3d1094 …), fixed in 2.34.0
 * (ac2dd58b6f …)" is never written per scenario.
 */
import type { SwitchName, Switches } from '../messages/profile.js';
import { FAMILIES } from './profiles.js';
import { releasesOf, sourceOf, type Family, type Release } from './releases.js';

type Value = Switches[SwitchName];

/** One boundary: the release at which the switch took `value`, and the ref the table gives for it. */
export interface SwitchBoundary {
  readonly at: Release;
  readonly value: Value;
  readonly ref: string;
}

export interface SwitchHistory {
  readonly name: SwitchName;
  readonly value: Value;
  /** The first release of the consecutive run of `release`'s family that has this value (null: the family's first release has it). */
  readonly introduced: SwitchBoundary | null;
  /** The first later release of the family with another value (null: every later release keeps it). */
  readonly changed: SwitchBoundary | null;
  /** The family's latest release, for "still so in …". */
  readonly latest: Release;
}

/** The history of `name` around `release`, within its family: the consecutive releases with `release`'s value, and their ends. */
export function switchHistory(release: Release, name: SwitchName): SwitchHistory {
  const all = releasesOf(release.family);
  const i = all.findIndex((r) => r.version === release.version);
  if (i < 0) throw new RangeError(`${release.family} has no release ${release.version}`);
  const value = sourceOf(release, name).value;
  const valueAt = (r: Release): Value => sourceOf(r, name).value;
  let lo = i;
  while (lo > 0 && valueAt(all[lo - 1]!) === value) lo--;
  let hi = i;
  while (hi < all.length - 1 && valueAt(all[hi + 1]!) === value) hi++;
  const boundary = (r: Release): SwitchBoundary => {
    const s = sourceOf(r, name);
    return { at: r, value: s.value, ref: s.range.ref };
  };
  return {
    name,
    value,
    introduced: lo > 0 ? boundary(all[lo]!) : null,
    changed: hi < all.length - 1 ? boundary(all[hi + 1]!) : null,
    latest: all.at(-1)!,
  };
}

/** A run of consecutive releases of one family that share a value, with the ref of its first. */
export interface ReleaseSpan {
  readonly family: Family;
  readonly from: Release;
  readonly to: Release;
  readonly ref: string;
}

/** Every run of consecutive releases (each family, oldest first) in which `name` has `value`. */
export function releasesWith(name: SwitchName, value: Value): ReleaseSpan[] {
  const out: ReleaseSpan[] = [];
  for (const family of FAMILIES) {
    let open: { from: Release; to: Release; ref: string } | null = null;
    for (const r of releasesOf(family)) {
      const s = sourceOf(r, name);
      if (s.value === value) {
        if (open) open.to = r;
        else open = { from: r, to: r, ref: s.range.ref };
      } else if (open) {
        out.push({ family, ...open });
        open = null;
      }
    }
    if (open) out.push({ family, ...open });
  }
  return out;
}
