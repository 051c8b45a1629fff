/**
 * `rootrace profiles`: the releases the switch table knows, per family and
 * series, with what each series changed; `profiles show <p>`: every switch of
 * one release with the range and ref it comes from; `profiles diff <a> <b>`:
 * only the switches that differ, with the changes between. All read the table
 * (scenarios/releases.ts); nothing runs.
 */
import { UsageError } from '../messages/errors.js';
import { SWITCH_DOCS, type SwitchName } from '../messages/profile.js';
import { FAMILIES, familyTitle, releaseByName, releaseLabel, releaseName } from '../scenarios/profiles.js';
import {
  changePoints,
  forkOf,
  notesAt,
  releasesOf,
  seriesOf,
  sourceOf,
  switchChanges,
  type Family,
  type Release,
  type SwitchChange,
  type SwitchSource,
} from '../scenarios/releases.js';
import { PROFILES } from './commands.js';
import { profileArg } from './names.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION } from './runCommand.js';

export type ProfilesArgs =
  | { readonly sub: 'list'; readonly json: boolean }
  | { readonly sub: 'show'; readonly profile: string; readonly json: boolean }
  | { readonly sub: 'diff'; readonly a: string; readonly b: string; readonly json: boolean };

export function parseProfilesArgs(argv: readonly string[]): ProfilesArgs {
  const { values, positionals } = parseCommand(PROFILES, argv);
  const json = values.json ?? false;
  const [sub, ...rest] = positionals;
  if (sub === undefined) return { sub: 'list', json };
  if (sub === 'show') {
    if (rest.length !== 1) throw new UsageError(`profiles show expects one profile (e.g. nix-2.24.12, lix-2.93), got ${rest.length}`);
    return { sub, profile: profileArg(rest[0]!), json };
  }
  if (sub === 'diff') {
    if (rest.length !== 2) throw new UsageError(`profiles diff expects two profiles (e.g. nix-2.33 nix-2.34), got ${rest.length}`);
    return { sub, a: profileArg(rest[0]!), b: profileArg(rest[1]!), json };
  }
  throw new UsageError(`profiles expects 'show <profile>', 'diff <a> <b>' or nothing, got '${sub}'`);
}

export function profilesCommand(a: ProfilesArgs, out: (s: string) => void): number {
  switch (a.sub) {
    case 'list':
      out(a.json ? json({ families: FAMILIES.map(familyJson) }) : listText());
      return 0;
    case 'show': {
      const r = releaseByName(a.profile);
      out(a.json ? json(showJson(a.profile, r)) : showText(a.profile, r));
      return 0;
    }
    case 'diff': {
      const x = releaseByName(a.a);
      const y = releaseByName(a.b);
      out(a.json ? json(diffJson(a, x, y)) : diffText(a, x, y));
      return 0;
    }
  }
}

const json = (doc: object): string => `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...doc }, null, 2)}\n`;

/** `upstream 2.33.0–2.33.x`, `Lix from 2.93.0`; a fork value taken from its base says so. */
export function rangeText(s: SwitchSource, r: Release): string {
  const where = familyTitle(s.table);
  const span = s.range.to === undefined ? `from ${s.range.from}` : s.range.from === s.range.to ? s.range.from : `${s.range.from}–${s.range.to}`;
  const via = s.table === 'upstream' && r.base !== null ? ` (base ${r.base})` : '';
  return `${where} ${span}${via}`;
}

/** `writeDerivation: always-add → early-return-no-root (18ec3d1094 (PR #14219))`. */
export function changeText(c: SwitchChange): string {
  return `${c.name}: ${String(c.from.value)} → ${String(c.to.value)} (${c.to.range.ref})`;
}

export function changeJson(c: SwitchChange): object {
  return { switch: c.name, from: c.from.value, to: c.to.value, ref: c.to.range.ref, fromRef: c.from.range.ref };
}

interface Series {
  readonly series: string;
  readonly releases: readonly Release[];
  readonly latest: Release;
  /** Against the previous series' latest release (for a fork's first series: its upstream base). */
  readonly against: Release | null;
  readonly changes: readonly { readonly change: SwitchChange; readonly since: Release }[];
}

function seriesOfFamily(family: Family): Series[] {
  const all = releasesOf(family);
  const names = [...new Set(all.map((r) => seriesOf(r.version)))];
  return names.map((series, i) => {
    const releases = all.filter((r) => seriesOf(r.version) === series);
    const latest = releases.at(-1)!;
    const prev = i === 0 ? null : all.filter((r) => seriesOf(r.version) === names[i - 1]).at(-1)!;
    const against: Release | null = prev ?? (latest.base !== null ? { family: 'upstream', version: releases[0]!.base!, base: null } : null);
    const changes = against === null ? [] : switchChanges(against, latest).map((change) => ({ change, since: releases.find((r) => sourceOf(r, change.name).value === change.to.value) ?? latest }));
    return { series, releases, latest, against, changes };
  });
}

function familyJson(family: Family): object {
  return {
    family,
    series: seriesOfFamily(family).map((s) => ({
      series: s.series,
      latest: releaseName(s.latest),
      releases: s.releases.map((r) => r.version),
      ...(s.latest.base !== null ? { base: s.latest.base } : {}),
      against: s.against === null ? null : releaseName(s.against),
      changes: s.changes.map((c) => ({ ...changeJson(c.change), since: c.since.version })),
    })),
  };
}

/** Changes the fork made in this series that no switch models: how many, and the release that first has one. */
function newNotes(s: Series): { n: number; at: Release } {
  const f = s.latest.family;
  const from = f === 'upstream' ? [] : forkOf(f).notes.filter((x) => seriesOf(x.from) === s.series).map((x) => x.from);
  return { n: from.length, at: s.releases.find((r) => from.includes(r.version)) ?? s.latest };
}

function seriesSummary(s: Series): string {
  const base = s.latest.base !== null ? `base ${[...new Set(s.releases.map((r) => r.base))].join(', ')}; ` : '';
  const { n, at } = newNotes(s);
  const notes = n === 0 ? '' : `; ${n} change${n === 1 ? '' : 's'} no switch models (profiles show ${releaseName(at)})`;
  if (s.against === null) return `${base}the oldest modelled release`;
  const vs = s.against.family === s.latest.family ? '' : `vs upstream ${s.against.version}: `;
  if (s.changes.length === 0) return `${base}${vs}no switch changes${notes}`;
  const first = s.releases[0]!.version;
  return `${base}${vs}${s.changes.map(({ change: c, since }) => `${c.name} ${String(c.from.value)} → ${String(c.to.value)}${since.version === first ? '' : ` (${since.version})`}`).join(', ')}${notes}`;
}

function listText(): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const series = seriesOfFamily(family);
    const title = familyTitle(family);
    lines.push(`${title}: ${series.length} series, ${releasesOf(family).length} releases`);
    const w = Math.max(...series.map((s) => releaseName(s.latest).length));
    for (const s of series) lines.push(`  ${releaseName(s.latest).padEnd(w + 2)}${seriesSummary(s)}`);
    lines.push('');
  }
  lines.push('a profile is any release: <prefix>-<series> (its latest) or <prefix>-<release>, e.g. nix-2.24.12, lix-2.93, determinate-3.17.1');
  lines.push('details: rootrace profiles show <profile>; rootrace profiles diff <a> <b>');
  return `${lines.join('\n')}\n`;
}

function showJson(name: string, r: Release): object {
  return {
    profile: name,
    release: { family: r.family, version: r.version, base: r.base, name: releaseName(r) },
    switches: (Object.keys(SWITCH_DOCS) as SwitchName[]).map((k) => {
      const s = sourceOf(r, k);
      return { switch: k, value: s.value, table: s.table, from: s.range.from, to: s.range.to ?? null, ref: s.range.ref };
    }),
    notModelled: notesAt(r),
  };
}

function showText(name: string, r: Release): string {
  const rows = (Object.keys(SWITCH_DOCS) as SwitchName[]).map((k) => {
    const s = sourceOf(r, k);
    return [k, String(s.value), rangeText(s, r), s.range.ref];
  });
  const head = ['switch', 'value', 'range', 'ref'];
  const lines = [`${name}   ${releaseLabel(r)}${r.base !== null ? ` on upstream ${r.base}` : ''}`, '', ...table([head, ...rows])];
  const notes = notesAt(r);
  if (notes.length > 0) lines.push('', 'in this release and modelled by no switch:', ...notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

function diffJson(a: { a: string; b: string }, x: Release, y: Release): object {
  return {
    a: { profile: a.a, name: releaseName(x), family: x.family, version: x.version, base: x.base },
    b: { profile: a.b, name: releaseName(y), family: y.family, version: y.version, base: y.base },
    differences: switchChanges(x, y).map((c) => ({
      switch: c.name,
      a: { value: c.from.value, range: rangeText(c.from, x), ref: c.from.range.ref },
      b: { value: c.to.value, range: rangeText(c.to, y), ref: c.to.range.ref },
      changes: changePoints(x, y, c.name).map((p) => ({ at: p.at.version, ...changeJson(p.change) })),
    })),
  };
}

function diffText(a: { a: string; b: string }, x: Release, y: Release): string {
  const diffs = switchChanges(x, y);
  const lines = [`${a.a} (${releaseLabel(x)}) → ${a.b} (${releaseLabel(y)}): ${diffs.length === 0 ? 'no switch differs' : `${diffs.length} switch${diffs.length === 1 ? '' : 'es'} differ`}`];
  for (const c of diffs) {
    lines.push('', `${c.name}: ${String(c.from.value)} → ${String(c.to.value)}`);
    lines.push(`  ${a.a}: ${rangeText(c.from, x)}: ${c.from.range.ref}`);
    lines.push(`  ${a.b}: ${rangeText(c.to, y)}: ${c.to.range.ref}`);
    const points = changePoints(x, y, c.name);
    if (points.length > 1 || (points.length === 1 && points[0]!.change.to.range !== c.to.range)) {
      for (const p of points) lines.push(`  at ${p.at.version}: ${String(p.change.from.value)} → ${String(p.change.to.value)} (${p.change.to.range.ref})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Aligned columns; the last column runs free. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join(''));
}
