/**
 * Expectations per profile, resolved to store base names, and their comparison
 * with observed runs: which finding kinds occurred, what is still on disk.
 */
import type { Resolved } from '../../actors/derivations.js';
import type { FindingKind } from '../../messages/inspect.js';
import type { RunResult } from '../../messages/result.js';
import type { RawExpectation } from './format.js';
import { resolveRef } from './refs.js';
import type { Locator } from './where.js';

export interface ExpectedPath {
  /** As written: `out:foo`, `lock:out:foo`. */
  readonly ref: string;
  readonly baseName: string;
}

export interface Expectation {
  /** Kinds that must each occur, `none`, or null for any (`any`, or nothing said). */
  readonly findings: 'none' | readonly FindingKind[] | null;
  readonly kept: readonly ExpectedPath[];
  readonly deleted: readonly ExpectedPath[];
  /** Texts that must each occur in some finding's message (Nix's own words, e.g. `unexpected end-of-file`). */
  readonly errors: readonly string[];
}

/** Expectations by profile name: a profile's own entry, or `default` for any other (an entry replaces `default` whole). */
export interface ExpectationTable {
  get(profile: string): Expectation | undefined;
}

/** Every entry resolved, every reference in every entry checked, used or not. */
export function resolveExpectations(at: Locator, raw: Readonly<Record<string, RawExpectation>> | undefined, r: Resolved, checkKey: (key: string) => boolean = () => true): ExpectationTable {
  const resolved = new Map<string, Expectation>();
  for (const [key, e] of Object.entries(raw ?? {})) {
    checkKey(key);
    const paths = (field: 'kept' | 'deleted'): ExpectedPath[] =>
      (e[field] ?? []).map((ref, k) => ({
        ref,
        baseName: resolveRef(ref, r, (why) => {
          throw at.error(['expect', key, field, k], why);
        }),
      }));
    const findings = e.findings ?? 'any';
    resolved.set(key, { findings: findings === 'any' ? null : findings, kept: paths('kept'), deleted: paths('deleted'), errors: e.errors ?? [] });
  }
  return { get: (profile) => resolved.get(profile) ?? resolved.get('default') };
}

/** `none`, `invalid-reference+gc-aborted`, `any`; with `; keeps N, deletes M` when the store is checked. */
export function describeExpectation(e: Expectation | undefined): string {
  if (!e) return '-';
  const f = e.findings === null ? 'any' : e.findings === 'none' ? 'none' : e.findings.join('+');
  const store = [e.kept.length ? `keeps ${e.kept.length}` : '', e.deleted.length ? `deletes ${e.deleted.length}` : ''].filter(Boolean);
  return store.length ? `${f}; ${store.join(', ')}` : f;
}

export interface Verdict {
  readonly ok: boolean;
  /** Why not, one sentence per failing run (empty when ok). */
  readonly reasons: readonly string[];
  /** Finding kinds observed, with the number of runs each occurred in. */
  readonly observed: ReadonlyMap<FindingKind, number>;
  readonly runs: number;
}

/** Every run must meet the expectation (a scenario fixes its interleaving, so runs agree). */
export function compare(e: Expectation, results: readonly RunResult[]): Verdict {
  const observed = new Map<FindingKind, number>();
  const reasons: string[] = [];
  for (const r of results) {
    const kinds = new Set(r.findings.map((f) => f.kind));
    for (const k of kinds) observed.set(k, (observed.get(k) ?? 0) + 1);
    const why = mismatch(e, r, kinds);
    if (why.length > 0) reasons.push(`seed ${r.seed}: ${why.join('; ')}`);
  }
  return { ok: reasons.length === 0, reasons, observed, runs: results.length };
}

function mismatch(e: Expectation, r: RunResult, kinds: ReadonlySet<FindingKind>): string[] {
  const why: string[] = [];
  if (e.findings === 'none' && r.findings.length > 0) {
    const f = r.findings[0]!;
    why.push(`unexpected ${f.kind} in ${f.actor}: ${f.message}`);
  } else if (e.findings !== null && e.findings !== 'none') {
    const missing = e.findings.filter((k) => !kinds.has(k));
    if (missing.length > 0) why.push(`no ${missing.join(', ')} finding`);
  }
  const onDisk = new Set(r.finalStore.onDisk);
  const gone = e.kept.filter((p) => !onDisk.has(p.baseName));
  const left = e.deleted.filter((p) => onDisk.has(p.baseName));
  const texts = e.errors.filter((t) => !r.findings.some((f) => f.message.includes(t)));
  if (texts.length > 0) why.push(`no finding says ${texts.map((t) => `'${t}'`).join(', ')}`);
  if (gone.length > 0) why.push(`expected kept but deleted: ${gone.map((p) => p.ref).join(', ')}`);
  if (left.length > 0) why.push(`expected deleted but still on disk: ${left.map((p) => p.ref).join(', ')}`);
  return why;
}

/** `none`, `invalid-reference`, or with counts when runs disagree: `invalid-reference 3/5`. */
export function describeObserved(v: Verdict): string {
  if (v.observed.size === 0) return 'none';
  return [...v.observed].map(([k, n]) => (n === v.runs ? k : `${k} ${n}/${v.runs}`)).join('+');
}
