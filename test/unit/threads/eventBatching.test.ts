/**
 * Threads runtime, #14 item 2: an actor's events are batched until it
 * communicates (threadContext.ts). Steps alone post nothing to the
 * coordinator; a message sent on a connection, a wait on another actor and a
 * kill each post what was buffered, in emit order, so nothing the actor did
 * before is lost.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { mintPid } from '../../../src/messages/ids.js';
import { DEFAULT_SETTINGS } from '../../../src/messages/profile.js';
import type { InspectEvent } from '../../../src/messages/inspect.js';
import { ThreadContext } from '../../../src/runtime/threads/threadContext.js';
import { EMPTY_SCENARIO, newStore, switchesOf } from '../actors/fakeContext.js';

interface Posted {
  readonly type: string;
  readonly events?: readonly InspectEvent[];
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** A context on the main thread whose control port the test reads. */
function context(): { ctx: ThreadContext; posted: Posted[]; settle: () => Promise<void> } {
  const ctl = new MessageChannel();
  ports.push(ctl.port1, ctl.port2);
  const posted: Posted[] = [];
  ctl.port2.on('message', (m: Posted) => posted.push(m));
  const ctx = new ThreadContext(
    { store: newStore(), pid: mintPid(1234), role: 'evaluator', name: 'E1', switches: switchesOf('nix-2.35'), settings: DEFAULT_SETTINGS, scenario: EMPTY_SCENARIO, seed: 1, runStart: performance.timeOrigin + performance.now(), jitterUs: 0, owner: 'E1', actor: 7 },
    ctl.port1,
  );
  // Messages between two ports of one thread arrive a macrotask later.
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
  return { ctx, posted, settle };
}

const texts = (posted: readonly Posted[]): string[][] => posted.filter((m) => m.type === 'ctl.events').map((m) => m.events!.map((e) => (e as { text?: string }).text ?? e.type));

describe('threads: events batched until the actor communicates', () => {
  it('steps post nothing; a send posts everything before it, in order', async () => {
    const { ctx, posted, settle } = context();
    const link = new MessageChannel();
    ports.push(link.port1, link.port2);
    const conn = ctx.connection<unknown, { n: number }>(link.port1, 'daemon-client');
    for (let i = 0; i < 3; i++) {
      ctx.emit({ type: 'inspect.log', level: 'debug', text: `step ${i}` });
      await ctx.step(`s${i}`);
    }
    await settle();
    expect(texts(posted)).toEqual([]);
    conn.send({ n: 1 });
    await settle();
    expect(texts(posted)).toEqual([['step 0', 'step 1', 'step 2']]);
  });

  it('a wait on another actor posts first; a kill posts what is left, then nothing more', async () => {
    const { ctx, posted, settle } = context();
    const link = new MessageChannel();
    ports.push(link.port1, link.port2);
    const conn = ctx.connection<{ n: number }, unknown>(link.port1, 'daemon-worker');
    ctx.emit({ type: 'inspect.log', level: 'debug', text: 'before receive' });
    void conn.receive(); // blocks: nobody sends
    await settle();
    expect(texts(posted)).toEqual([['before receive']]);
    await ctx.step('s');
    ctx.emit({ type: 'inspect.log', level: 'debug', text: 'after' });
    ctx.kill(); // in the same turn: the kill is served between turns, and what this one did was done

    ctx.emit({ type: 'inspect.log', level: 'debug', text: 'dead' });
    await settle();
    expect(texts(posted)).toEqual([['before receive'], ['after']]);
  });
});
