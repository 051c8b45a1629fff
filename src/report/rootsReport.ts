/**
 * The worker-exit root-cleanup report: for every process that ended, how it
 * ended, which temp roots it held, what became of its temp-roots file (its own
 * destructor unlinked it, or a GC later removed it as stale), and for each of
 * its roots deleted afterwards: when, by which GC run, and which live process
 * still needed it. Built from the stream alone; rendered as text or JSON.
 */
import type { ActorRole, ExitCause, InspectEvent } from '../messages/inspect.js';
import { Processes } from './processes.js';

export const ROOTS_REPORT_SCHEMA_VERSION = 1;

export interface ActorRef {
  readonly pid: number;
  readonly actor: string;
}

export interface HeldRoot {
  readonly path: string;
  readonly t: number;
  readonly via: 'file' | 'socket' | 'file-undelivered';
  /** This process (for its client) was the first to add the path to the store in this run. */
  readonly firstWrittenHere: boolean;
}

export type FileFate =
  | { readonly state: 'none' }
  | { readonly state: 'unlinked-by-owner'; readonly t: number }
  | { readonly state: 'removed-stale'; readonly t: number; readonly gcRun: string; readonly by: ActorRef }
  | { readonly state: 'left-on-disk' };

export interface Need {
  /** The scenario process that needed the path, alive when it was deleted. */
  readonly pid: number;
  readonly name: string;
  readonly t: number;
  /** What failed (Nix's text), or the invariant that was violated. */
  readonly message: string;
  /**
   * How the failure involves the path: its text names it; what it was adding
   * references it (Nix names only the first invalid reference); a finding on
   * it; or the GC's own safety check.
   */
  readonly how: 'named' | 'referenced' | 'finding' | 'gc-safety';
  /** The daemon operation that failed on its behalf, and what it was adding or building. */
  readonly via?: ActorRef & { readonly op: string; readonly subject: string };
}

export interface Deletion {
  readonly path: string;
  readonly t: number;
  readonly gcRun: string;
  readonly by: ActorRef;
  /** False when the path was deleted while this process still protected it (a GC-safety violation). */
  readonly afterEnd: boolean;
  readonly neededBy: readonly Need[];
}

export interface EndedProcess {
  readonly pid: number;
  readonly name: string;
  readonly role: ActorRole;
  readonly client?: ActorRef;
  readonly ended: { readonly cause: ExitCause; readonly t: number; readonly error?: string };
  readonly roots: readonly HeldRoot[];
  readonly file: FileFate;
  readonly deletions: readonly Deletion[];
}

export interface RootsReport {
  readonly schemaVersion: number;
  readonly run: { readonly scenario: string; readonly profile: string; readonly seed: number } | null;
  readonly processes: readonly EndedProcess[];
}

type Of<T extends InspectEvent['type']> = Extract<InspectEvent, { type: T }>;

/** One pass over the stream: what the report looks up per process and per deletion. */
class Index {
  readonly adds = new Map<number, Of<'inspect.tempRoot.add'>[]>();
  readonly created = new Set<number>();
  readonly unlinked = new Map<number, Of<'inspect.tempRoots.unlink'>>();
  readonly stale = new Map<number, Of<'inspect.tempRoots.stale'>[]>();
  readonly deletes = new Map<string, Of<'inspect.gc.delete'>[]>();
  readonly firstWriter = new Map<string, number>();
  readonly starts = new Map<string, Of<'inspect.op.start'>>();
  /** Failed daemon ops and findings: the only events a need can come from. */
  readonly failures: (Of<'inspect.op'> | Of<'inspect.finding'>)[] = [];

  constructor(events: readonly InspectEvent[]) {
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => void (m.get(k) ?? m.set(k, []).get(k)!).push(v);
    for (const e of events) {
      switch (e.type) {
        case 'inspect.tempRoot.add':
          push(this.adds, e.pid, e);
          break;
        case 'inspect.tempRoots.create':
          this.created.add(e.pid);
          break;
        case 'inspect.tempRoots.unlink':
          if (e.reason === 'destructor' && !this.unlinked.has(e.file)) this.unlinked.set(e.file, e);
          break;
        case 'inspect.tempRoots.stale':
          push(this.stale, e.file, e);
          break;
        case 'inspect.gc.delete':
          push(this.deletes, e.path, e);
          break;
        case 'inspect.op.start':
          this.starts.set(`${e.pid}:${e.id}`, e);
          break;
        case 'inspect.op':
          if (e.result === 'ok' && (e.op === 'daemon.addToStore' || e.op === 'daemon.addTextToStore') && !this.firstWriter.has(e.path)) this.firstWriter.set(e.path, e.pid);
          if (e.result === 'error') this.failures.push(e);
          break;
        case 'inspect.finding':
          this.failures.push(e);
          break;
        default:
          break;
      }
    }
  }
}

/** Builds the report from one run's events in `seq` order. */
export function buildRootsReport(events: readonly InspectEvent[]): RootsReport {
  const procs = new Processes(events);
  const ix = new Index(events);
  const ended = procs.all.filter((p) => p.exit).sort((a, b) => a.exit!.seq - b.exit!.seq);
  const processes = ended.map((p): EndedProcess => {
    const exit = p.exit!;
    const adds = ix.adds.get(p.pid) ?? [];
    const roots: HeldRoot[] = [];
    const firstAdd = new Map<string, number>();
    for (const a of adds) {
      if (firstAdd.has(a.path)) continue;
      firstAdd.set(a.path, a.seq);
      roots.push({ path: a.path, t: a.t, via: a.via, firstWrittenHere: ix.firstWriter.get(a.path) === p.pid });
    }
    const unlink = ix.unlinked.get(p.pid);
    const stale = ix.stale.get(p.pid)?.find((e) => e.seq > p.start.seq);
    const file: FileFate = !ix.created.has(p.pid)
      ? { state: 'none' }
      : unlink
        ? { state: 'unlinked-by-owner', t: unlink.t }
        : stale
          ? { state: 'removed-stale', t: stale.t, gcRun: stale.gcRun, by: { pid: stale.pid, actor: stale.actor } }
          : { state: 'left-on-disk' };
    const protectedUntil = Math.min(exit.seq, unlink?.seq ?? Infinity);
    const deletions: Deletion[] = [];
    for (const r of roots) {
      for (const d of ix.deletes.get(r.path) ?? []) {
        if (d.seq < firstAdd.get(r.path)!) continue;
        deletions.push({ path: d.path, t: d.t, gcRun: d.gcRun, by: { pid: d.pid, actor: d.actor }, afterEnd: d.seq > protectedUntil, neededBy: needsOf(ix, procs, d) });
      }
    }
    const client = p.parent !== undefined ? procs.get(p.parent) : undefined;
    return {
      pid: p.pid,
      name: p.name,
      role: p.role,
      ...(client ? { client: { pid: client.pid, actor: client.name } } : {}),
      ended: { cause: exit.cause, t: exit.t, ...(exit.error !== undefined ? { error: exit.error } : {}) },
      roots,
      file,
      deletions: deletions.sort((a, b) => a.t - b.t),
    };
  });
  const h = procs.header;
  return { schemaVersion: ROOTS_REPORT_SCHEMA_VERSION, run: h ? { scenario: h.scenario, profile: h.profile, seed: h.seed } : null, processes };
}

/**
 * Who still needed a deleted path: a process alive at the deletion that later
 * failed on it (its daemon worker's failed op and its own finding are one
 * need), and GC-safety violations the deleting GC reported for it.
 */
function needsOf(ix: Index, procs: Processes, d: Of<'inspect.gc.delete'>): Need[] {
  const needs = new Map<number, Need>();
  let safety: Of<'inspect.finding'> | undefined;
  for (const e of ix.failures) {
    if (e.type === 'inspect.finding' && e.kind === 'gc-safety') {
      // checkSafety reports just before the deletion it is about, from the deleting GC.
      if (e.path === d.path && e.pid === d.pid && e.seq < d.seq) safety = e;
      continue;
    }
    if (e.seq <= d.seq) continue;
    const client = procs.clientOf(e.pid);
    if (!client || !procs.aliveAt(client.pid, d.seq) || needs.has(client.pid)) continue;
    if (e.type === 'inspect.op') {
      const start = e.id === undefined ? undefined : ix.starts.get(`${e.pid}:${e.id}`);
      const how = e.error?.includes(`'${d.path}'`) ? 'named' : start?.refs?.includes(d.path) ? 'referenced' : null;
      if (how) needs.set(client.pid, { pid: client.pid, name: client.name, t: e.t, message: e.error ?? 'failed', how, via: { pid: e.pid, actor: e.actor, op: e.op, subject: start?.path ?? e.path } });
    } else if (e.path === d.path) {
      needs.set(client.pid, { pid: client.pid, name: client.name, t: e.t, message: e.message, how: 'finding' });
    }
  }
  const out = [...needs.values()];
  if (safety) {
    const holderPid = /live process (\d+)/.exec(safety.message)?.[1];
    const holder = holderPid === undefined ? undefined : procs.clientOf(Number(holderPid));
    out.unshift({ pid: holder?.pid ?? safety.pid, name: holder?.name ?? safety.actor, t: safety.t, message: safety.message, how: 'gc-safety' });
  }
  return out;
}
