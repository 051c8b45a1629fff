/**
 * #14 item 4: `check` runs every scenario on one runtime, so host threads
 * started for the first scenario serve the next ones warm. Before, runMany
 * opened and closed a ThreadsRuntime per scenario (one close per scenario).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadsRuntime } from '../../dist/src/runtime/index.js';
import { runCli } from '../../dist/src/cli/cli.js';

describe('check on threads', () => {
  const dir = process.env.ROOTRACE_DIR;
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir === undefined) delete process.env.ROOTRACE_DIR;
    else process.env.ROOTRACE_DIR = dir;
  });

  it('opens one runtime for all its scenarios and closes it once', async () => {
    process.env.ROOTRACE_DIR = mkdtempSync(join(tmpdir(), 'rootrace-check-host-'));
    const close = vi.spyOn(ThreadsRuntime.prototype, 'close');
    const run = vi.spyOn(ThreadsRuntime.prototype, 'run');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await runCli(['check', 'drop-then-kill', 'autogc-self-deadlock', '--runtime', 'threads', '--runs', '1', '--profile', 'nix-2.8', '--json']);
    const printed = out.mock.calls.map((c) => String(c[0])).join('');
    out.mockRestore();
    const rows = (JSON.parse(printed) as { results: { scenario: string }[] }).results;
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set(['drop-then-kill', 'autogc-self-deadlock']));
    expect(run).toHaveBeenCalledTimes(2);
    expect(close).toHaveBeenCalledTimes(1);
    expect([0, 1]).toContain(code);
  }, 120_000);
});
