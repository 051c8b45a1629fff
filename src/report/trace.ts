/**
 * Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing) from one run's
 * stream: a named track per actor; GC runs, their phases, daemon ops, client
 * calls and lock waits as complete ('X') slices that nest; each temp root's
 * lifetime as an async span ('b'/'e') from addTempRoot until it stopped
 * protecting (owner's unlink, exit, or stale-file removal); a leaked
 * temp-roots file as a span from its owner's death to its removal; exits,
 * deletions and findings as instants; daemon requests and replies as flow
 * arrows; counters for live temp roots and store bytes.
 *
 * Timestamps are µs since the run started, made non-decreasing in `seq`
 * order (threads' clocks differ by a few µs; `seq` is the true order), so a
 * slice always nests in the one open when it began and an arrow never points
 * back in time. Output is byte-for-byte a function of the events.
 */
import type { GcPhase, InspectEvent } from '../messages/inspect.js';
import { TraceState } from './traceState.js';

const PHASE_SLICE: Readonly<Record<Exclude<GcPhase, 'done' | 'aborted'>, string>> = {
  'waiting-lock': 'waiting for the big garbage collector lock',
  locked: 'starting the roots server',
  'socket-up': 'finding permanent roots',
  'perm-roots': 'finding temporary roots',
  'temp-roots': 'after the root scan',
  deleting: 'deleting garbage',
  links: 'deleting unused links',
  stopping: 'stopping the roots server',
};

const short = (op: string): string => op.replace(/^daemon\./, '');
const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The trace of one run, as the text of a JSON document (one trace event per line). */
export function renderTrace(events: readonly InspectEvent[]): string {
  const s = new TraceState(events);
  for (const e of events) {
    const tr = s.advance(e);
    const ts = tr.last;
    switch (e.type) {
      case 'inspect.run.start':
        s.instant(tr, e, 'run start', { scenario: e.scenario, profile: e.profile, seed: e.seed });
        s.disk(e, e.free, e.used);
        s.counterRoots(e);
        break;
      case 'inspect.run.end':
        s.instant(tr, e, 'run end', {});
        break;
      case 'inspect.process.start':
        s.instant(tr, e, `start ${e.role}`, { name: e.name, ...(e.parent !== undefined ? { client: e.parent } : {}) });
        break;
      case 'inspect.process.exit':
        s.instant(tr, e, `exit (${e.cause})`, { cause: e.cause, heldLocks: e.heldLocks, roots: e.roots, ...(e.error !== undefined ? { error: e.error } : {}) });
        s.endRootsOf(e.pid, e, 'process exit');
        s.processExited(e);
        break;
      case 'inspect.connection.open':
      case 'inspect.connection.close':
        s.instant(tr, e, `${e.type === 'inspect.connection.open' ? 'connect' : 'disconnect'} ${e.kind === 'daemon' ? 'daemon worker' : 'GC'} ${e.peer}`, { kind: e.kind, peer: e.peer });
        break;
      case 'inspect.tempRoots.create':
        s.fileCreated(e.file);
        s.instant(tr, e, `create temproots/${e.file}`, {});
        break;
      case 'inspect.tempRoot.add':
        s.beginRoot(e);
        break;
      case 'inspect.tempRoots.stale':
        s.instant(tr, e, `remove stale temproots/${e.file}`, { gcRun: e.gcRun });
        s.endRootsOf(e.file, e, `stale file removed by ${e.gcRun}`);
        s.fileRemoved(e.file, e, `removed as stale by ${e.gcRun}`);
        break;
      case 'inspect.tempRoots.unlink':
        s.instant(tr, e, `unlink temproots/${e.file} (${e.reason})`, {});
        s.endRootsOf(e.file, e, `file unlinked (${e.reason})`);
        s.fileRemoved(e.file, e, `unlinked (${e.reason})`);
        break;
      case 'inspect.lock.wait':
        s.open(tr, e, { name: `wait for ${e.mode} lock on ${e.file}`, cat: 'lock', kind: 'lock', key: e.file, args: { file: e.file, mode: e.mode } });
        break;
      case 'inspect.lock.grant':
        s.close(tr, ts, (o) => o.kind === 'lock' && o.key === e.file);
        break;
      case 'inspect.roots.connect':
        s.instant(tr, e, `connect gc-socket: ${e.result}`, {});
        break;
      case 'inspect.roots.send':
        s.instant(tr, e, `send root ${base(e.path)} to GC`, { path: e.path });
        break;
      case 'inspect.roots.ack':
        s.instant(tr, e, `ack root ${base(e.path)}`, { path: e.path, gcRun: e.gcRun, waited: e.waited });
        break;
      case 'inspect.gc.phase': {
        if (!tr.stack.some((o) => o.kind === 'gc' && o.key === e.gcRun)) {
          s.open(tr, e, { name: `GC ${e.gcRun}`, cat: 'gc', kind: 'gc', key: e.gcRun, args: { gcRun: e.gcRun } });
        }
        s.close(tr, ts, (o) => o.kind === 'phase' && o.key === e.gcRun);
        if (e.phase === 'done' || e.phase === 'aborted') {
          const gc = tr.stack.find((o) => o.kind === 'gc' && o.key === e.gcRun);
          if (gc) gc.args = { ...gc.args, outcome: e.phase };
          s.close(tr, ts, (o) => o.kind === 'gc' && o.key === e.gcRun);
        } else s.open(tr, e, { name: PHASE_SLICE[e.phase], cat: 'gc', kind: 'phase', key: e.gcRun, args: { gcRun: e.gcRun, phase: e.phase } });
        break;
      }
      case 'inspect.gc.delete':
        s.instant(tr, e, `delete ${base(e.path)}`, { path: e.path, gcRun: e.gcRun, bytes: e.bytes });
        if (e.free !== undefined && e.used !== undefined) s.disk(e, e.free, e.used);
        break;
      case 'inspect.gc.keep':
        s.instant(tr, e, `keep ${base(e.path)} (${e.reason})`, { path: e.path, gcRun: e.gcRun });
        break;
      case 'inspect.autoGc.decision':
        s.instant(tr, e, `auto-GC: ${e.decision}`, { avail: e.avail, toFree: e.toFree });
        break;
      case 'inspect.op.start':
        s.open(tr, e, { name: short(e.op), cat: 'daemon', kind: 'op', key: String(e.id), args: { op: e.op, id: e.id, path: e.path }, flow: s.opFlow(e) });
        break;
      case 'inspect.op': {
        const closed = s.close(tr, ts, (o) => o.kind === 'op' && (e.id === undefined || o.key === String(e.id)), { result: e.result, path: e.path, ...(e.error !== undefined ? { error: e.error } : {}) });
        if (!closed) s.instant(tr, e, `${short(e.op)} ${e.result}`, { path: e.path, ...(e.error !== undefined ? { error: e.error } : {}) });
        if (e.free !== undefined && e.used !== undefined) s.disk(e, e.free, e.used);
        break;
      }
      case 'inspect.client.call':
        s.open(tr, e, { name: `call ${short(e.op)}`, cat: 'client', kind: 'call', key: String(e.id), args: { op: e.op, id: e.id }, flow: s.callFlow(e) });
        break;
      case 'inspect.client.reply':
        s.replyArrives(tr, e, `reply ${short(e.op)}`);
        s.close(tr, ts, (o) => o.kind === 'call' && o.key === String(e.id), { result: e.result, ...(e.error !== undefined ? { error: e.error } : {}) });
        break;
      case 'inspect.check':
        s.instant(tr, e, `${e.site}: ${e.check} ${base(e.path)} → ${e.valid}${e.rooted ? '' : ' (not rooted)'}`, {
          site: e.site, path: e.path, valid: e.valid, rooted: e.rooted, then: e.then, ...(e.switch ? { switch: `${e.switch.name}=${String(e.switch.value)}` } : {}),
        });
        break;
      case 'inspect.loop.iteration':
        s.instant(tr, e, `iteration ${e.n} ${e.ok ? 'ok' : 'failed'}`, { n: e.n, ok: e.ok });
        break;
      case 'inspect.log':
        break;
      case 'inspect.finding':
        s.instant(tr, e, `finding: ${e.kind}`, { kind: e.kind, message: e.message, path: e.path });
        break;
      case 'inspect.crash':
        s.instant(tr, e, `${e.signal === 'kill' ? 'SIGKILL' : 'SIGTERM'} at ${e.label} #${e.occurrence}`, { signal: e.signal, label: e.label, occurrence: e.occurrence, process: e.process });
        break;
    }
  }
  return s.finish();
}
