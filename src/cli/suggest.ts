/**
 * "Did you mean …": the closest known name to a mistyped one, for commands,
 * options, scenarios, profiles and switches.
 */

/** Optimal string alignment distance: Levenshtein plus one transposition of neighbours (`rnu` → `run` costs 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `input`, if it is close enough to be a typo: at
 * most a third of the longer name's length away (and at least one edit), or
 * the only name that starts with `input`. Ties go to the first in `known`.
 */
export function didYouMean(input: string, known: readonly string[]): string | null {
  if (input === '') return null;
  const lower = input.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    if (k === input) return null;
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  if (best !== null && bestD <= Math.max(1, Math.floor(Math.max(input.length, best.length) / 3))) return best;
  const prefixed = known.filter((k) => k.startsWith(input));
  return prefixed.length === 1 ? prefixed[0]! : null;
}

/** ` (did you mean 'x'?)`, or '' when nothing is close. */
export function meanClause(input: string, known: readonly string[], quote = "'"): string {
  const s = didYouMean(input, known);
  return s === null ? '' : ` (did you mean ${quote}${s}${quote}?)`;
}
