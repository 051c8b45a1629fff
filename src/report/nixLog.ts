/**
 * Nix-style log lines behind a time/actor tag:
 *
 *     [   12.345 ms] W(E2)[1004]: deleting '/nix/store/…-hosts.drv'
 *
 * Lines the actors logged carry Nix's own wording and level; the simulator's
 * own observations (exits, daemon ops, lock waits…) are tagged `rootrace:`.
 * Verbosity follows Nix: error < info (the default) < talkative (`-v`) <
 * debug (`--debug`).
 */
import { INVARIANT_KINDS, type InspectEvent } from '../messages/inspect.js';

export type LogLevel = 'error' | 'info' | 'talkative' | 'debug';

const RANK: Readonly<Record<LogLevel, number>> = { error: 0, info: 3, talkative: 4, debug: 6 };


/** The level and text of one event's line, or null for events with nothing to say. */
export function logLine(e: InspectEvent): { level: LogLevel; text: string } | null {
  const own = (level: LogLevel, text: string): { level: LogLevel; text: string } => ({ level, text: `rootrace: ${text}` });
  switch (e.type) {
    case 'inspect.log':
      return { level: e.level, text: e.text };
    case 'inspect.finding':
      return INVARIANT_KINDS.has(e.kind) ? own('error', `${e.kind}: ${e.message}`) : { level: 'error', text: `error: ${e.message}` };
    case 'inspect.run.start':
      return own('info', `run of scenario ${e.scenario}, profile ${e.profile}, seed ${e.seed}`);
    case 'inspect.run.end':
      return own('talkative', 'run ended');
    case 'inspect.loop.iteration':
      return own('talkative', `iteration ${e.n} ${e.ok ? 'succeeded' : 'failed'}`);
    case 'inspect.check':
      return own('debug', `${e.site}: ${e.check}('${e.path}') -> ${e.valid}${e.rooted ? '' : ' (not rooted)'}; ${e.then}`);
    case 'inspect.process.start':
      return own('debug', `started ${e.role} ${e.name}${e.parent !== undefined ? ` for pid ${e.parent}` : ''}`);
    case 'inspect.process.exit':
      return own('talkative', `exited (${e.cause}${e.error ? `: ${e.error}` : ''}); its temp-roots file held ${e.roots.length} roots; kernel released ${e.heldLocks} locks`);
    case 'inspect.connection.open':
      return own('debug', `connected to the ${e.kind === 'daemon' ? 'daemon: worker' : 'roots socket: GC'} pid ${e.peer}`);
    case 'inspect.connection.close':
      return own('debug', `closed the ${e.kind} connection to pid ${e.peer}`);
    case 'inspect.tempRoots.create':
      return own('debug', `created temproots/${e.file}`);
    case 'inspect.tempRoot.add':
      return own('debug', `added temp root '${e.path}' (${e.via})`);
    case 'inspect.tempRoots.stale':
      return own('debug', `${e.gcRun} found temproots/${e.file} stale`);
    case 'inspect.tempRoots.unlink':
      return own('debug', `unlinked temproots/${e.file} (${e.reason})`);
    case 'inspect.lock.wait':
      return own('debug', `waiting for ${e.mode} lock on ${e.file}`);
    case 'inspect.lock.grant':
      return own('debug', `got ${e.mode} lock on ${e.file}`);
    case 'inspect.roots.connect':
      return own('debug', `connect to gc-socket/socket: ${e.result}`);
    case 'inspect.roots.send':
      return own('debug', `sent root '${e.path}' to the running GC`);
    case 'inspect.roots.ack':
      return own('debug', `${e.gcRun} acked '${e.path}'${e.waited ? ' after its deletion finished' : ''}`);
    case 'inspect.gc.phase':
      return own('debug', `${e.gcRun}: ${e.phase}`);
    case 'inspect.gc.delete':
      return own('debug', `${e.gcRun} freed ${e.bytes} bytes`);
    case 'inspect.gc.keep':
      return own('debug', `${e.gcRun} keeps '${e.path}' (${e.reason})`);
    case 'inspect.autoGc.decision':
      return own('debug', `auto-GC check: ${e.decision} (${e.avail} bytes free${e.toFree ? `, ${e.toFree} to free` : ''})`);
    case 'inspect.op.start':
      return own('debug', `handling ${e.op} #${e.id}${e.path ? ` ${e.path}` : ''}`);
    case 'inspect.op':
      return own('debug', `${e.op}${e.id !== undefined ? ` #${e.id}` : ''} ${e.result}${e.error ? `: ${e.error}` : ''}`);
    case 'inspect.client.call':
      return own('debug', `sent ${e.op} #${e.id} to the daemon`);
    case 'inspect.client.reply':
      return own('debug', `reply to ${e.op} #${e.id}: ${e.result}${e.error ? `: ${e.error}` : ''}`);
    case 'inspect.crash': {
      const dies = e.process === e.actor ? '' : `; its process ${e.process} dies with it`;
      return own('info', `injected ${e.signal === 'kill' ? 'SIGKILL' : 'SIGTERM'} at ${e.label} #${e.occurrence}${dies}`);
    }
  }
}

/** `[   12.345 ms] W(E2)[1004]: ` */
export function logTag(e: InspectEvent): string {
  return `[${(e.t / 1000).toFixed(3).padStart(9)} ms] ${e.actor}[${e.pid}]: `;
}

/** The log of a run at `level` and below, one line per event, each ending in a newline. */
export function renderNixLog(events: readonly InspectEvent[], level: LogLevel = 'info'): string {
  const max = RANK[level];
  let out = '';
  for (const e of events) {
    const l = logLine(e);
    if (l && RANK[l.level] <= max) out += `${logTag(e)}${l.text}\n`;
  }
  return out;
}
