/**
 * #14: a sim speed-up keeps every interleaving. The event-stream hash of each
 * catalogue scenario on nix-2.8, 2.33, 2.34 and 2.35 at seed 1 equals the
 * golden one in test/fixtures/catalogue-hashes.json, taken before the kernel
 * work (scripts/catalogue-hashes.mjs says when to regenerate it: a change to a
 * modelled mechanism, never a speed-up).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

/** The regeneration script's own function (a plain .mjs run on dist/), so test and script hash alike. */
const { catalogueHashes } = (await import(new URL('../../scripts/catalogue-hashes.mjs', import.meta.url).href)) as { catalogueHashes: () => Promise<Record<string, string>> };

const golden = JSON.parse(readFileSync(new URL('../fixtures/catalogue-hashes.json', import.meta.url), 'utf8')) as Record<string, string>;

it('same seed, same event hash, on the whole catalogue and every profile, as before the kernel work', async () => {
  const now = await catalogueHashes();
  expect(Object.keys(now).length).toBeGreaterThanOrEqual(4 * 29);
  expect(now).toEqual(golden);
});
