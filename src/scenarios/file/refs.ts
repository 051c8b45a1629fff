/**
 * Object references of scenario files, resolved to store base names (the
 * names in RunResult.finalStore): `drv:NAME`, `out:NAME[:OUTPUT]`, `src:NAME`,
 * `junk:NAME` (a literal name), and `lock:<ref>` / `chroot:<ref>` for that
 * ref's name plus `.lock` / `.chroot`.
 */
import type { Resolved } from '../../actors/derivations.js';
import { baseNameOf } from '../../store/index.js';

/** Why a reference does not resolve, as a sentence; thrown by `resolveRef` through `fail`. */
export type RefFail = (why: string) => never;

const few = (names: Iterable<string>): string => {
  const all = [...names];
  return all.length === 0 ? 'none' : all.length > 8 ? `${all.slice(0, 8).join(', ')}, …` : all.join(', ');
};

export function unknownName(what: string, name: string, known: Iterable<string>): string {
  return `unknown ${what} '${name}' (defined: ${few(known)})`;
}

export function resolveRef(ref: string, r: Resolved, fail: RefFail): string {
  const m = /^(drv|out|src|junk|lock|chroot):(.+)$/.exec(ref);
  if (!m) return fail(`expected a reference such as drv:NAME, out:NAME, src:NAME, junk:NAME or lock:out:NAME, got '${ref}'`);
  const [, kind, rest] = m as unknown as [string, string, string];
  switch (kind) {
    case 'lock':
    case 'chroot':
      return `${resolveRef(rest, r, fail)}.${kind}`;
    case 'junk':
      return rest;
    case 'src': {
      const s = r.srcs.get(rest);
      return s ? baseNameOf(s.path) : fail(unknownName('source', rest, r.srcs.keys()));
    }
    case 'drv': {
      const d = r.drvs.get(rest);
      return d ? baseNameOf(d.drvPath) : fail(unknownName('derivation', rest, r.drvs.keys()));
    }
    default: {
      const [name = '', output = 'out', ...more] = rest.split(':');
      if (more.length > 0) return fail(`expected out:NAME or out:NAME:OUTPUT, got '${ref}'`);
      const d = r.drvs.get(name);
      if (!d) return fail(unknownName('derivation', name, r.drvs.keys()));
      const path = d.outputs.get(output);
      return path ? baseNameOf(path) : fail(`derivation '${name}' has no output '${output}' (outputs: ${[...d.outputs.keys()].join(', ')})`);
    }
  }
}
