/**
 * The process table every report needs, rebuilt from the stream alone: who
 * started (role, name, the client a daemon worker serves), when each ended,
 * and the run header. Pure: the same events always give the same table.
 */
import type { ActorRole, InspectEvent } from '../messages/inspect.js';

type Of<T extends InspectEvent['type']> = Extract<InspectEvent, { type: T }>;

export interface ProcessInfo {
  readonly pid: number;
  /** The process's own actor (a GC thread shares its worker's pid but is not the process). */
  readonly name: string;
  readonly role: ActorRole;
  /** For a daemon worker: the client it serves. */
  readonly parent?: number;
  readonly start: Of<'inspect.process.start'>;
  exit?: Of<'inspect.process.exit'>;
}

export class Processes {
  private readonly byPid = new Map<number, ProcessInfo>();
  /** Processes in order of start. */
  readonly all: ProcessInfo[] = [];
  readonly header: Of<'inspect.run.start'> | undefined;
  /** The last timestamp of the run (its end event, else the last event). */
  readonly endT: number;

  constructor(events: readonly InspectEvent[]) {
    let header: Of<'inspect.run.start'> | undefined;
    let endT = 0;
    for (const e of events) {
      endT = Math.max(endT, e.t);
      if (e.type === 'inspect.run.start') header ??= e;
      else if (e.type === 'inspect.process.start' && e.role !== 'autoGcThread' && !this.byPid.has(e.pid)) {
        const p: ProcessInfo = { pid: e.pid, name: e.name, role: e.role, start: e, ...(e.parent !== undefined ? { parent: e.parent } : {}) };
        this.byPid.set(e.pid, p);
        this.all.push(p);
      } else if (e.type === 'inspect.process.exit') {
        const p = this.byPid.get(e.pid);
        if (p && !p.exit) p.exit = e;
      }
    }
    this.header = header;
    this.endT = endT;
  }

  get(pid: number): ProcessInfo | undefined {
    return this.byPid.get(pid);
  }

  /** `W(X) (pid 1003)`; an actor name for pids the stream never started (the checker). */
  label(pid: number, actor?: string): string {
    const p = this.byPid.get(pid);
    if (!p) return actor ?? `pid ${pid}`;
    return `${actor ?? p.name} (pid ${pid})`;
  }

  /** `W(X) (pid 1003), daemon worker of X (pid 1000)`. */
  describe(pid: number): string {
    const p = this.byPid.get(pid);
    if (!p) return `pid ${pid}`;
    const client = p.parent !== undefined ? this.byPid.get(p.parent) : undefined;
    return client ? `${this.label(pid)}, daemon worker of ${this.label(client.pid)}` : this.label(pid);
  }

  /** The scenario process behind a pid: a daemon worker's client, else the process itself. */
  clientOf(pid: number): ProcessInfo | undefined {
    const p = this.byPid.get(pid);
    return p?.parent !== undefined ? (this.byPid.get(p.parent) ?? p) : p;
  }

  /** Whether `pid` had started and not yet exited at event `seq`. */
  aliveAt(pid: number, seq: number): boolean {
    const p = this.byPid.get(pid);
    return p !== undefined && p.start.seq < seq && (p.exit === undefined || p.exit.seq > seq);
  }
}

/** `12.345 ms` from µs since the run started. */
export function ms(t: number): string {
  return `${(t / 1000).toFixed(3)} ms`;
}

/** The base name of a store path (`…-hosts.drv` keeps its hash: two paths may share a name). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
