/**
 * Issue #11: for every boundary of the upstream switch table whose switch a
 * forced catalogue scenario observes, the release before the change and the
 * release of the change behave differently on that scenario (sim runtime).
 * Boundaries come from the data (src/scenarios/releases.ts), not from a list
 * here; a switch with no observing scenario is named in NOT_OBSERVED.
 */
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';
import { UPSTREAM, upstreamReleases } from '../../dist/src/scenarios/releases.js';
import type { RunResult } from '../../src/messages/result.js';

/** Which forced scenario shows each switch, and what of a run tells the values apart. */
const OBSERVED: Readonly<Record<string, { scenario: string; observe: (r: RunResult) => string }>> = {
  writeDerivation: { scenario: 'pr-15158', observe: kinds },
  gcCatchPathInUse: { scenario: 'gc-path-in-use', observe: kinds },
  rootsSocketEnoent: { scenario: 'gc-socket-enoent', observe: messages },
  addTempRootHoldsState: { scenario: 'autogc-self-deadlock', observe: kinds },
  buildRecheckAssertion: { scenario: 'check-then-root', observe: messages },
  daemonEofError: { scenario: 'check-then-root', observe: messages },
  missingDrvError: { scenario: 'instantiate-then-realise', observe: messages },
  readDerivationMissing: { scenario: 'eval-jobs-aggregate', observe: messages },
  // Was foo.sh deleted (and fetched again) or kept by the deletion loop's re-check?
  gcDeletionRecheck: { scenario: 'pending-ack-after-deletion', observe: (r) => String(r.recorded!.some((e) => e.type === 'inspect.gc.delete' && e.path.endsWith('-foo.sh'))) },
  // Does a daemon worker unlink its own temp-roots file at exit, or does the next GC find it stale?
  // Did C's root go over the roots socket, or wait on gc.lock for the GC to end?
  tempRootProtocol: { scenario: 'blocking-temproots', observe: (r) => r.recorded!.filter((e) => e.type === 'inspect.roots.send' || (e.type === 'inspect.log' && e.text.startsWith('waiting for the big'))).map((e) => e.type).join() },
  daemonWorkerDestructor: { scenario: 'daemon-temproots-leak', observe: (r) => r.recorded!.filter((e) => e.type === 'inspect.tempRoots.unlink' || e.type === 'inspect.tempRoots.stale').map((e) => e.type).join() },
};

/** Switches whose change no forced catalogue scenario observes (timing only, or no visible difference). */
const NOT_OBSERVED = ['fetcherCacheHit', 'rootsSocketRetryMs', 'addTextOp', 'rootReferencesInAddToStore', 'rootReferencesInWriteDerivation', 'stillAliveReferrersHint', 'rootsSocketReset', 'gcServerStopOrder', 'tempRootsFileName', 'tempRootsNameStoi'];

function kinds(r: RunResult): string {
  return [...new Set(r.findings.map((f) => f.kind))].sort().join('+') || 'none';
}
function messages(r: RunResult): string {
  return r.findings.map((f) => f.message.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '…-').replace(/pid \d+/g, 'pid N')).sort().join(' | ');
}

const releases = upstreamReleases();
const sim = new SimRuntime({ record: true });
const outcome = async (scenario: string, release: string, observe: (r: RunResult) => string): Promise<string> => {
  const r = await sim.run(openScenario(scenario).expand().run, profileByName(`nix-${release}`), 1);
  return observe(r);
};

describe('every observed switch boundary changes the outcome of its scenario', () => {
  it('every switch is either observed or named as not observed', () => {
    expect(Object.keys(UPSTREAM).sort()).toEqual([...Object.keys(OBSERVED), ...NOT_OBSERVED].sort());
  });
  const cases = Object.entries(OBSERVED).flatMap(([name, o]) =>
    (UPSTREAM as Record<string, readonly { from: string; ref: string }[]>)[name]!
      .map((range) => range.from)
      .filter((from) => releases.indexOf(from) > 0)
      // Only where the value changes: a range split that restates the value (a backport joining a later series) is no boundary.
      .filter((from) => {
        const k = name as keyof ReturnType<typeof profileByName>['switches'];
        return profileByName(`nix-${releases[releases.indexOf(from) - 1]!}`).switches[k] !== profileByName(`nix-${from}`).switches[k];
      })
      .map((from) => ({ name, scenario: o.scenario, before: releases[releases.indexOf(from) - 1]!, at: from, observe: o.observe })),
  );
  it.each(cases)('$name: $before → $at on $scenario', async ({ scenario, before, at, observe }) => {
    expect(await outcome(scenario, at, observe)).not.toBe(await outcome(scenario, before, observe));
  });
});
