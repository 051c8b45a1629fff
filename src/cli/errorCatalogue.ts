/**
 * What the catalogue's scenarios make Nix print, found by running them (sim)
 * on every release of the chosen families the way `rootrace versions` does
 * (releases with the same switches share their runs): for each Nix error text,
 * by shape (errorText.ts), the scenarios that produce it, the releases where a
 * run showed it, and the command that reruns one. Nothing here lists messages:
 * they are whatever the runs printed.
 */
import { INVARIANT_KINDS, type FindingKind } from '../messages/inspect.js';
import { listScenarios, profilesFor, runMany } from '../scenarios/index.js';
import { releaseName } from '../scenarios/profiles.js';
import { releasesOf, type Family, type Release } from '../scenarios/releases.js';
import { errorShape, nixText } from './errorText.js';
import { shareRuns, spanText } from './versionsCommand.js';


/** One scenario that makes Nix print one error text. */
export interface ErrorSource {
  readonly scenario: string;
  readonly summary: string;
  readonly kind: FindingKind;
  /** Nix's text as the scenario's first run with it printed it. */
  readonly message: string;
  /** The store path names in it (`hosts.drv`). */
  readonly names: readonly string[];
  /** The releases where a run showed it, in release order. */
  readonly releases: readonly Release[];
  /** Those releases as consecutive ranges: `2.33.0–2.33.6`, `Lix 2.90.0–2.95.3`. */
  readonly ranges: readonly string[];
  /** `rootrace run <scenario> --profile <p> --seed <s> --runtime sim`: reruns the first run that showed it. */
  readonly rerun: string;
}

export interface ErrorCatalogue {
  readonly families: readonly Family[];
  readonly runs: number;
  readonly seed: number;
  readonly scenarios: number;
  readonly releases: number;
  /** By shape: every scenario that produced it. */
  readonly shapes: ReadonlyMap<string, readonly ErrorSource[]>;
}

export interface CatalogueOptions {
  readonly families: readonly Family[];
  readonly runs: number;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number, scenario: string) => void;
}

/** Consecutive releases of one family (in table order) as the span texts of `versions`. */
function rangesOf(all: readonly Release[], having: ReadonlySet<Release>): string[] {
  const out: Release[][] = [];
  let run: Release[] = [];
  for (const r of all) {
    if (having.has(r) && (run.length === 0 || run[0]!.family === r.family)) run.push(r);
    else {
      if (run.length > 0) out.push(run);
      run = having.has(r) ? [r] : [];
    }
  }
  if (run.length > 0) out.push(run);
  return out.map((releases) => spanText({ family: releases[0]!.family, releases }));
}

export async function errorCatalogue(o: CatalogueOptions): Promise<ErrorCatalogue> {
  const scenarios = listScenarios();
  const releases = o.families.flatMap((f) => releasesOf(f));
  const shapes = new Map<string, ErrorSource[]>();
  for (const [n, e] of scenarios.entries()) {
    o.onProgress?.(n, scenarios.length, e.name);
    const x = e.expand();
    const { ranAs, distinct } = shareRuns(profilesFor(x, releases.map(releaseName), []));
    // Per shape: the first run that showed it under each distinct set of switches.
    const seen = new Map<string, { kind: FindingKind; message: string; names: readonly string[]; firstRun: Map<string, number> }>();
    for (const p of distinct) {
      const r = await runMany(x.run, [p], o.runs, o.seed, { runtime: 'sim' });
      for (const [i, result] of r.profiles[0]!.results.entries()) {
        for (const f of result.findings) {
          if (INVARIANT_KINDS.has(f.kind)) continue;
          const text = nixText(f.message);
          const { shape, names } = errorShape(text);
          const s = seen.get(shape) ?? { kind: f.kind, message: text, names, firstRun: new Map<string, number>() };
          seen.set(shape, s);
          if (!s.firstRun.has(p.name)) s.firstRun.set(p.name, i);
        }
      }
    }
    for (const [shape, s] of seen) {
      const having = releases.filter((_, j) => s.firstRun.has(ranAs[j]!));
      const first = releases.indexOf(having[0]!);
      const profile = ranAs[first]!;
      const i = s.firstRun.get(profile)!;
      const rerun = `rootrace run ${e.name} --profile ${profile} --seed ${o.seed} --runtime sim${i > 0 ? ` --runs ${i + 1}` : ''}`;
      const source: ErrorSource = { scenario: e.name, summary: e.summary, kind: s.kind, message: s.message, names: s.names, releases: having, ranges: rangesOf(releases, new Set(having)), rerun };
      shapes.set(shape, [...(shapes.get(shape) ?? []), source]);
    }
  }
  return { families: o.families, runs: o.runs, seed: o.seed, scenarios: scenarios.length, releases: releases.length, shapes };
}
