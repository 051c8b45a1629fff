/**
 * Derivation inputs as written: names and `*` patterns over the defined names,
 * then the dependency graph's checks (no cycle, no chain deeper than
 * LIMITS.dependencyDepth). Linear in the scenario's size: a scenario of
 * 100,000 repeated derivations expands in well under a second.
 */
import type { ScenarioDoc } from './load.js';
import { LIMITS } from './limits.js';
import { unknownName } from './refs.js';
import { errorAt, type Instance } from './repeat.js';
import type { Locator } from './where.js';

/** An input name with the index of the entry that produced it (for error paths). */
export interface Input {
  readonly name: string;
  readonly index: number;
}

/**
 * The defined names of one kind. A pattern is matched once however many
 * copies of a repeated entry use it, and only over the names that start with
 * its literal prefix (a sorted view, binary-searched), so `lib-{i}-*` in
 * 100,000 copies is not 100,000 scans.
 */
export class NameIndex {
  readonly set: ReadonlySet<string>;
  private readonly order: ReadonlyMap<string, number>;
  private sorted: readonly string[] | null = null;
  private readonly matched = new Map<string, readonly string[]>();

  constructor(readonly list: readonly string[]) {
    this.set = new Set(list);
    this.order = new Map(list.map((x, i) => [x, i]));
  }

  /** Defined names matching `pattern` (`*` = any characters), in definition order. */
  matching(pattern: string): readonly string[] {
    const hit = this.matched.get(pattern);
    if (hit) return hit;
    const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\=]/g, '\\$&')).join('.*')}$`);
    const prefix = pattern.slice(0, pattern.indexOf('*'));
    const sorted = (this.sorted ??= [...this.list].sort(byCodeUnits));
    const out: string[] = [];
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
      if (re.test(sorted[i]!)) out.push(sorted[i]!);
    }
    out.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    this.matched.set(pattern, out);
    return out;
  }
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Checks each input exists; a pattern with `*` stands for every defined name it
 * matches — possibly none, so that a `repeat: $n` with n = 0 stays valid — but
 * never the derivation itself (`self`).
 */
export function expandInputs<T>(at: ScenarioDoc['at'], d: Instance<T>, field: string, written: readonly string[], defined: NameIndex, kind: string, self: string | null): Input[] {
  return written.flatMap((n, index) => {
    if (!n.includes('*')) {
      if (!defined.set.has(n)) throw errorAt(at, d, [field, index], unknownName(kind, n, defined.list));
      return [{ name: n, index }];
    }
    return defined.matching(n).filter((x) => x !== self).map((name) => ({ name, index }));
  });
}

/**
 * A derivation may not depend on itself through inputDrvs (the edge that closes
 * a cycle is the error), nor sit atop a chain deeper than LIMITS.dependencyDepth
 * (the engine walks closures recursively, as Nix does). Iterative, so a long
 * chain is a message rather than a stack overflow.
 */
export function checkDependencies(at: Locator, drvs: readonly Instance<{ readonly name: string }>[], inputsOf: (name: string) => readonly Input[]): void {
  const byName = new Map(drvs.map((d) => [d.value.name, d]));
  const depth = new Map<string, number>();
  const onStack = new Set<string>();
  const max = LIMITS.dependencyDepth.value;
  for (const root of drvs) {
    if (depth.has(root.value.name)) continue;
    // Each frame: a derivation and how many of its inputs have been visited.
    const stack: { name: string; next: number; inputs: readonly Input[] }[] = [];
    const enter = (name: string): void => {
      onStack.add(name);
      stack.push({ name, next: 0, inputs: inputsOf(name) });
    };
    enter(root.value.name);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const input = top.inputs[top.next++];
      if (input !== undefined) {
        if (onStack.has(input.name)) {
          const names = stack.map((f) => f.name);
          const cycle = [...names.slice(names.indexOf(input.name)), input.name].join(' -> ');
          throw errorAt(at, byName.get(top.name)!, ['inputDrvs', input.index], `derivation dependency cycle: ${cycle}`);
        }
        if (!depth.has(input.name)) enter(input.name);
        continue;
      }
      stack.pop();
      onStack.delete(top.name);
      const d = 1 + top.inputs.reduce((m, i) => Math.max(m, depth.get(i.name)!), 0);
      if (d > max) {
        throw errorAt(at, byName.get(top.name)!, ['inputDrvs'], `a dependency chain of ${d} derivations ends here; at most ${max} (${LIMITS.dependencyDepth.why})`);
      }
      depth.set(top.name, d);
    }
  }
}
