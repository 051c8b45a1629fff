/**
 * Nix version profiles: named bundles of documented switches (messages/profile.ts).
 * A profile only flips switches; the engine never looks at a profile's name.
 */
import { UsageError } from '../messages/errors.js';
import { SWITCH_DOCS, type Profile, type SwitchName, type Switches } from '../messages/profile.js';

const HEAD_LIKE: Switches = {
  writeDerivation: 'root-then-early-return',
  fetcherCacheHit: 'root-then-check',
  gcDeletionRecheck: true,
  gcCatchPathInUse: true,
  rootsSocketEnoent: 'retry',
  rootsSocketRetryMs: 100,
  daemonWorkerDestructor: true,
  missingDrvError: 'failed-to-obtain',
  addTempRootHoldsState: false,
  buildRecheckAssertion: 'false',
  rootsSocketReset: 'restart',
  gcServerStopOrder: 'listener-first',
  daemonEofError: 'daemon-disconnected',
  tempRootsFileName: 'pid',
  tempRootsNameStoi: false,
  addTextOp: 'AddToStore',
  rootReferencesInAddToStore: false,
  rootReferencesInWriteDerivation: false,
  stillAliveReferrersHint: true,
};

export const PROFILES: readonly Profile[] = [
  {
    name: 'nix-2.8',
    nixVersion: '2.8.0',
    summary: 'Debian’s Nix: writeDerivation always adds (rooted in the worker); GC aborts on PathInUse; ENOENT on gc-socket swallowed',
    switches: { ...HEAD_LIKE, writeDerivation: 'always-add', gcDeletionRecheck: false, gcCatchPathInUse: false, rootsSocketEnoent: 'swallow', rootsSocketRetryMs: 0, missingDrvError: 'cannot-build-missing', addTextOp: 'AddTextToStore', stillAliveReferrersHint: false, addTempRootHoldsState: true, buildRecheckAssertion: 'isValidPath', rootsSocketReset: 'swallow', gcServerStopOrder: 'clients-first', daemonEofError: 'unexpected-eof', tempRootsNameStoi: true },
  },
  {
    name: 'nix-2.33',
    nixVersion: '2.33.x',
    summary: 'PR #14219: writeDerivation returns early on a valid drv without a temp root (the PR #15158 race)',
    switches: { ...HEAD_LIKE, writeDerivation: 'early-return-no-root', gcDeletionRecheck: false, tempRootsNameStoi: true },
  },
  {
    name: 'nix-2.34',
    nixVersion: '2.34.0',
    summary: 'PR #15237: addTempRoot before the early return; daemon workers leak temproots files (#16222); deletion loop ignores late roots',
    switches: { ...HEAD_LIKE, gcDeletionRecheck: false, daemonWorkerDestructor: false, tempRootsNameStoi: true },
  },
  {
    name: 'nix-2.35',
    nixVersion: '2.35.2',
    summary: 'PR #15992: deletion loop re-checks late temp roots; temproots leak fixed',
    switches: HEAD_LIKE,
  },
];

export function profileByName(name: string): Profile {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) throw new UsageError(`unknown profile '${name}' (known: ${PROFILES.map((x) => x.name).join(', ')})`);
  return p;
}

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
