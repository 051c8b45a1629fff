/**
 * Issue #12 item 3: nix-eval-jobs aggregates (constituents.cc @59fa344). The
 * catalogue's eval-jobs-aggregate forces a GC after the last worker exited and
 * before the main process's first readDerivation; the same file with the GC
 * moved to M's hashDerivationModulo or writeDerivation covers the other two
 * windows. Each outcome is forced by barriers, and the texts are the release's
 * (switch readDerivationMissing).
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimRuntime, ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

const catalogue = readFileSync(new URL('../../scenarios/eval-jobs-aggregate.yaml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'rootrace-aggregate-'));
const threads = new ThreadsRuntime({ timeoutMs: 20_000 });
afterAll(() => threads.close());
const sim = new SimRuntime();

type Window = 'readDerivation' | 'aggregate.hash' | 'aggregate.write';
function variant(window: Window, params: string[] = []) {
  const text = catalogue.replace('label: readDerivation,', `label: ${window},`);
  expect(text).toContain(`label: ${window},`);
  const file = join(dir, `${window}.yaml`);
  writeFileSync(file, text);
  return openScenario(file).expand(params);
}

const drv = (name: string) => `'/nix/store/[0-9a-df-np-sv-z]{32}-${name}\\.drv'`;
const segv = /^M \(pid \d+\) aborted: Segmentation fault \(readDerivationCommon .* dereferences the null accessor for '\/nix\/store\/.*\.drv'\)$/;

const cases: readonly { window: Window; profile: string; kind: string; text: RegExp }[] = [
  // Gone before the reads: readDerivation of the aggregate the worker wrote.
  { window: 'readDerivation', profile: 'nix-2.8', kind: 'missing-derivation', text: new RegExp(`^path ${drv('aggregate')} is not a valid store path$`) },
  { window: 'readDerivation', profile: 'nix-2.35', kind: 'missing-derivation', text: new RegExp(`^path ${drv('aggregate')} is not a valid store path$`) },
  { window: 'readDerivation', profile: 'nix-2.32.0', kind: 'process-aborted', text: segv },
  // Gone between the reads and hashDerivationModulo: readInvalidDerivation of the first constituent.
  { window: 'aggregate.hash', profile: 'nix-2.8', kind: 'missing-derivation', text: new RegExp(`^opening file ${drv('job-1')}: No such file or directory$`) },
  { window: 'aggregate.hash', profile: 'nix-2.35', kind: 'missing-derivation', text: new RegExp(`^store path ${drv('job-1')} does not exist$`) },
  { window: 'aggregate.hash', profile: 'nix-2.32.4', kind: 'process-aborted', text: segv },
  // Gone between the hash and the write: the pr-15158 shape, and the 2.34 fix does not help (M never re-writes a constituent).
  { window: 'aggregate.write', profile: 'nix-2.33', kind: 'invalid-reference', text: new RegExp(`^path ${drv('job-\\d+')} is not valid$`) },
  { window: 'aggregate.write', profile: 'nix-2.34', kind: 'invalid-reference', text: new RegExp(`^path ${drv('job-\\d+')} is not valid$`) },
  { window: 'aggregate.write', profile: 'nix-2.35+rootReferencesInWriteDerivation=true', kind: 'invalid-reference', text: new RegExp(`^path ${drv('job-\\d+')} is not valid$`) },
];

describe.each(['sim', 'threads'] as const)('eval-jobs-aggregate on %s', (runtime) => {
  const run = (x: ReturnType<typeof variant>, spec: string) => {
    const p = profilesFor(x, [spec], [])[0]!;
    return runtime === 'sim' ? sim.run(x.run, p, 1) : threads.run(x.run, p, 1);
  };

  it.each(cases)('GC at $window, $profile: $kind', async ({ window, profile, kind, text }) => {
    const r = await run(variant(window), profile);
    expect(r.findings.map((f) => f.kind)).toEqual([kind]);
    expect(r.findings[0]!.message, r.findings[0]!.message).toMatch(text);
  });

  it.each(['readDerivation', 'aggregate.hash', 'aggregate.write'] as const)('--param gcRootsDir=1, GC at %s: nothing fails on 2.8 or 2.35', async (window) => {
    for (const profile of ['nix-2.8', 'nix-2.35']) expect((await run(variant(window, ['gcRootsDir=1']), profile)).findings).toEqual([]);
  });
});
