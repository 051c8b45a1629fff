/**
 * Trace tracks: one per actor. A simulated process is a trace process (its
 * pid), its own actor the main thread (tid = pid), any other actor of that pid
 * (an auto-GC thread) an extra thread with a tid of its own; Perfetto needs
 * tids unique across processes. Pid-0 actors (coordinator, checker, watchdog)
 * and the store counters live in a "rootrace" process, pid 1.
 */
import type { Processes } from './processes.js';

export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: 'M' | 'X' | 'b' | 'e' | 'i' | 'C';
  readonly ts?: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly s?: 't';
  readonly bind_id?: string;
  readonly flow_in?: true;
  readonly flow_out?: true;
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface OpenSlice {
  readonly name: string;
  readonly cat: string;
  readonly ts: number;
  /** The seq of the event that opened it: ties in time are broken by this. */
  readonly order: number;
  readonly kind: 'op' | 'gc' | 'phase' | 'lock' | 'call';
  readonly key: string;
  args: Record<string, unknown>;
  readonly flow?: { readonly bind: string; readonly in: boolean; readonly out: boolean } | undefined;
}

export interface Track {
  readonly pid: number;
  readonly tid: number;
  readonly simPid: number;
  readonly actor: string;
  readonly stack: OpenSlice[];
  /** Timestamp of the last event on this track. */
  last: number;
}

export const ROOTRACE_PID = 1;
const EXTRA_TID_BASE = 10_000_000;

export class Tracks {
  private readonly byKey = new Map<string, Track>();
  private extra = 0;

  constructor(private readonly procs: Processes) {}

  of(simPid: number, actor: string): Track {
    const key = `${simPid}\u0000${actor}`;
    let t = this.byKey.get(key);
    if (!t) {
      const pid = simPid === 0 ? ROOTRACE_PID : simPid;
      const main = simPid === 0 ? actor === 'coordinator' : (this.procs.get(simPid)?.name ?? actor) === actor && !this.hasMain(simPid);
      t = { pid, tid: main ? pid : EXTRA_TID_BASE + ++this.extra, simPid, actor, stack: [], last: 0 };
      this.byKey.set(key, t);
    }
    return t;
  }

  private hasMain(simPid: number): boolean {
    for (const t of this.byKey.values()) if (t.simPid === simPid && t.tid === t.pid) return true;
    return false;
  }

  /** Tracks of one simulated process (its own actor and its GC threads). */
  ofProcess(simPid: number): Track[] {
    return [...this.byKey.values()].filter((t) => t.simPid === simPid);
  }

  all(): Track[] {
    return [...this.byKey.values()];
  }

  /** process_name / thread_name (and sort order) for every track that has events. */
  metadata(): TraceEvent[] {
    const out: TraceEvent[] = [];
    const named = new Set<number>();
    const order = new Map<number, number>(this.procs.all.map((p, i) => [p.pid, i + 1]));
    const tracks = this.all().sort((a, b) => a.pid - b.pid || a.tid - b.tid);
    for (const t of tracks) {
      if (!named.has(t.pid)) {
        named.add(t.pid);
        out.push({ name: 'process_name', ph: 'M', pid: t.pid, tid: t.pid, args: { name: this.processName(t.simPid) } });
        out.push({ name: 'process_sort_index', ph: 'M', pid: t.pid, tid: t.pid, args: { sort_index: t.simPid === 0 ? 0 : (order.get(t.simPid) ?? t.pid) } });
      }
      out.push({ name: 'thread_name', ph: 'M', pid: t.pid, tid: t.tid, args: { name: t.actor } });
      out.push({ name: 'thread_sort_index', ph: 'M', pid: t.pid, tid: t.tid, args: { sort_index: t.tid === t.pid ? 0 : 1 } });
    }
    return out;
  }

  private processName(simPid: number): string {
    if (simPid === 0) return 'rootrace (coordinator, checker, store counters)';
    const p = this.procs.get(simPid);
    if (!p) return `pid ${simPid}`;
    const client = p.parent !== undefined ? this.procs.get(p.parent) : undefined;
    return client ? `${p.name}: daemon worker of ${client.name}` : `${p.name}: ${p.role}`;
  }
}
