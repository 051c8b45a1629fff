/** Nix-style log lines: Nix's wording behind a time/actor tag, filtered by level as Nix does. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvents, renderNixLog } from '../../../src/report/index.js';

const load = (name: string) => parseEvents(readFileSync(fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url)), 'utf8'), name);

describe('renderNixLog', () => {
  const events = load('hand-written.ndjson');

  it('info: Nix lines and errors only, each behind a time/actor tag', () => {
    const lines = renderNixLog(events, 'info').trimEnd().split('\n');
    expect(lines).toContain("[    3.400 ms] G[2002]: removing stale temporary roots file '/nix/var/nix/temproots/2001'");
    expect(lines).toContain('[    2.200 ms] gc-thread(W(C))[2001]: waiting for the big garbage collector lock...');
    expect(lines).toContain("[    4.900 ms] C[2000]: error: path '/nix/store/0000000000000000000000000000000a-p1.drv' is not valid");
    expect(lines.some((l) => l.includes("deleting '"))).toBe(false); // talkative
    expect(lines.some((l) => l.includes('got new GC root'))).toBe(false); // debug
  });

  it('each level adds lines, never drops one', () => {
    const n = (l: 'error' | 'info' | 'talkative' | 'debug') => renderNixLog(events, l).split('\n').length;
    expect(n('error')).toBeLessThan(n('info'));
    expect(n('info')).toBeLessThan(n('talkative'));
    expect(n('talkative')).toBeLessThan(n('debug'));
    expect(renderNixLog(events, 'talkative')).toContain("G[2002]: deleting '/nix/store/0000000000000000000000000000000a-p1.drv'");
    expect(renderNixLog(events, 'debug')).toContain("G[2002]: got new GC root '/nix/store/0000000000000000000000000000000b-p2'");
  });

  it('pr-15158 on nix-2.33: auto-GC in the dependents\' workers, then Nix\'s error in the evaluators', () => {
    const log = renderNixLog(load('pr-15158-nix-2.33.ndjson'), 'info');
    expect(log).toMatch(/\] W\(E\d\)\[\d+\]: running auto-GC to free \d+ bytes/);
    expect(log).toMatch(/\] gc-thread\(W\(E\d\)\)\[\d+\]: finding garbage collector roots\.\.\./);
    expect(log).toMatch(/\] E\d\[\d+\]: error: path '\/nix\/store\/[0-9a-z]{32}-[^']+\.drv' is not valid/);
  });
});
