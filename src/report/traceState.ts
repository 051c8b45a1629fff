/**
 * The trace builder's state: tracks and their open slices, open temp-root and
 * leaked-file spans, counters, flow ids, and the output list with its sort
 * key. trace.ts decides what each inspection event means; this file keeps the
 * bookkeeping that makes the result well formed (every span closed, slices
 * nested, ties in time broken by `seq`).
 */
import type { InspectEvent } from '../messages/inspect.js';
import { Processes, baseName } from './processes.js';
import { ROOTRACE_PID, Tracks, type OpenSlice, type Track, type TraceEvent } from './traceTracks.js';

type Of<T extends InspectEvent['type']> = Extract<InspectEvent, { type: T }>;

interface Out {
  readonly ev: TraceEvent;
  readonly ts: number;
  readonly order: number;
  readonly depth: number;
  readonly sub: number;
}

interface Span {
  readonly name: string;
  readonly cat: string;
  readonly id: string;
  readonly pid: number;
  readonly tid: number;
}

export const TRACE_SCHEMA_VERSION = 1;

export class TraceState {
  private readonly procs: Processes;
  private readonly tracks: Tracks;
  private readonly out: Out[] = [];
  private now = 0;
  private nextId = 0;
  private readonly roots = new Map<string, Span>();
  private readonly files = new Map<number, 'present' | 'removed'>();
  private readonly leaked = new Map<number, Span>();
  private free = -1;
  private used = -1;
  private liveRoots = -1;
  private readonly opStarts = new Set<string>();
  private readonly calls = new Set<string>();
  private readonly replies = new Set<string>();
  private readonly binds = new Map<string, string>();

  constructor(events: readonly InspectEvent[]) {
    this.procs = new Processes(events);
    this.tracks = new Tracks(this.procs);
    this.tracks.of(0, 'coordinator'); // the counters' track
    for (const e of events) {
      if (e.type === 'inspect.op.start') this.opStarts.add(`${this.procs.get(e.pid)?.parent ?? -1}:${e.id}`);
      else if (e.type === 'inspect.client.call') this.calls.add(`${e.pid}:${e.id}`);
      else if (e.type === 'inspect.client.reply') this.replies.add(`${e.pid}:${e.id}`);
    }
  }

  private id(): string {
    return `0x${(++this.nextId).toString(16)}`;
  }

  private push(ev: TraceEvent, ts: number, order: number, depth = 0): void {
    this.out.push({ ev, ts, order, depth, sub: this.out.length });
  }

  /** Moves time to this event (never backwards: `seq` is the true order) and returns its track. */
  advance(e: InspectEvent): Track {
    this.now = Math.max(this.now, e.t);
    const tr = this.tracks.of(e.pid, e.actor);
    tr.last = this.now;
    return tr;
  }

  instant(tr: Track, e: InspectEvent, name: string, args: Record<string, unknown>): void {
    this.push({ name, cat: 'event', ph: 'i', s: 't', ts: this.now, pid: tr.pid, tid: tr.tid, args: { seq: e.seq, ...args } }, this.now, e.seq);
  }

  open(tr: Track, e: InspectEvent, o: Omit<OpenSlice, 'ts' | 'order'>): void {
    tr.stack.push({ ...o, ts: this.now, order: e.seq });
  }

  /** Closes the innermost open slice matching `pred` (and any still open inside it) at `ts`. */
  close(tr: Track, ts: number, pred: (o: OpenSlice) => boolean, args: Record<string, unknown> = {}): boolean {
    let i = tr.stack.length - 1;
    while (i >= 0 && !pred(tr.stack[i]!)) i--;
    if (i < 0) return false;
    this.closeFrom(tr, i, ts, args);
    return true;
  }

  /** Closes every open slice on the track at `ts`. */
  closeAll(tr: Track, ts: number): void {
    if (tr.stack.length) this.closeFrom(tr, 0, ts, {});
  }

  /** Closes stack[i] and everything above it, innermost first; `args` go to stack[i]. */
  private closeFrom(tr: Track, i: number, ts: number, args: Record<string, unknown>): void {
    while (tr.stack.length > i) {
      const o = tr.stack.pop()!;
      const f = o.flow;
      const flow = f && (f.in || f.out) ? { bind_id: f.bind, ...(f.in ? { flow_in: true as const } : {}), ...(f.out ? { flow_out: true as const } : {}) } : {};
      const a = tr.stack.length === i ? { ...o.args, ...args } : o.args;
      // Depth breaks ties between slices opened by one event: the outer one is listed first.
      this.push({ name: o.name, cat: o.cat, ph: 'X', ts: o.ts, dur: ts - o.ts, pid: tr.pid, tid: tr.tid, ...flow, args: a }, o.ts, o.order, tr.stack.length);
    }
  }

  private bind(key: string): string {
    let b = this.binds.get(key);
    if (!b) this.binds.set(key, (b = this.id()));
    return b;
  }

  /** A client call's slice starts the request arrow if a worker took the request. */
  callFlow(e: Of<'inspect.client.call'>): OpenSlice['flow'] {
    const key = `${e.pid}:${e.id}`;
    return this.opStarts.has(key) ? { bind: this.bind(key), in: false, out: true } : undefined;
  }

  /** A worker's op slice ends the request arrow and starts the reply arrow. */
  opFlow(e: Of<'inspect.op.start'>): OpenSlice['flow'] {
    const key = `${this.procs.get(e.pid)?.parent ?? -1}:${e.id}`;
    const inn = this.calls.has(key);
    const out = this.replies.has(key);
    return inn || out ? { bind: this.bind(key), in: inn, out } : undefined;
  }

  /** The reply's arrival: a zero-length slice inside the call, where the reply arrow lands. */
  replyArrives(tr: Track, e: Of<'inspect.client.reply'>, name: string): void {
    const key = `${e.pid}:${e.id}`;
    const flow = this.opStarts.has(key) ? { bind_id: this.bind(key), flow_in: true as const } : {};
    this.push({ name, cat: 'client', ph: 'X', ts: this.now, dur: 0, pid: tr.pid, tid: tr.tid, ...flow, args: { seq: e.seq, result: e.result } }, this.now, e.seq);
  }

  beginRoot(e: Of<'inspect.tempRoot.add'>): void {
    const key = `${e.pid}\u0000${e.path}`;
    if (this.roots.has(key)) return;
    const tr = this.tracks.of(e.pid, this.procs.get(e.pid)?.name ?? e.actor);
    const span: Span = { name: baseName(e.path), cat: 'temp-root', id: this.id(), pid: tr.pid, tid: tr.tid };
    this.roots.set(key, span);
    this.push({ name: span.name, cat: span.cat, ph: 'b', ts: this.now, pid: span.pid, tid: span.tid, id: span.id, args: { seq: e.seq, path: e.path, via: e.via } }, this.now, e.seq);
    this.counterRoots(e);
  }

  private endSpan(span: Span, order: number, why: string): void {
    this.push({ name: span.name, cat: span.cat, ph: 'e', ts: this.now, pid: span.pid, tid: span.tid, id: span.id, args: { ended: why } }, this.now, order);
  }

  /** Every root `pid` holds stops protecting now. */
  endRootsOf(pid: number, e: InspectEvent, why: string): void {
    const prefix = `${pid}\u0000`;
    let n = 0;
    for (const [k, span] of this.roots) {
      if (!k.startsWith(prefix)) continue;
      this.endSpan(span, e.seq, why);
      this.roots.delete(k);
      n++;
    }
    if (n) this.counterRoots(e);
  }

  fileCreated(pid: number): void {
    this.files.set(pid, 'present');
  }

  fileRemoved(pid: number, e: InspectEvent, why: string): void {
    this.files.set(pid, 'removed');
    const span = this.leaked.get(pid);
    if (span) this.endSpan(span, e.seq, why);
    this.leaked.delete(pid);
  }

  /** The kernel's part: every slice of the process ends; a file it left behind starts its stale life. */
  processExited(e: Of<'inspect.process.exit'>): void {
    for (const tr of this.tracks.ofProcess(e.pid)) this.closeAll(tr, this.now);
    if (this.files.get(e.pid) !== 'present') return;
    const tr = this.tracks.of(e.pid, this.procs.get(e.pid)?.name ?? e.actor);
    const span: Span = { name: `temproots/${e.pid} left behind`, cat: 'temp-roots-file', id: this.id(), pid: tr.pid, tid: tr.tid };
    this.leaked.set(e.pid, span);
    this.push({ name: span.name, cat: span.cat, ph: 'b', ts: this.now, pid: span.pid, tid: span.tid, id: span.id, args: { seq: e.seq, roots: e.roots } }, this.now, e.seq);
  }

  counterRoots(e: InspectEvent): void {
    if (this.roots.size === this.liveRoots) return;
    this.liveRoots = this.roots.size;
    this.push({ name: 'live temp roots', ph: 'C', ts: this.now, pid: ROOTRACE_PID, tid: ROOTRACE_PID, args: { roots: this.liveRoots } }, this.now, e.seq);
  }

  disk(e: InspectEvent, free: number, used: number): void {
    if (free === this.free && used === this.used) return;
    this.free = free;
    this.used = used;
    this.push({ name: 'store bytes', ph: 'C', ts: this.now, pid: ROOTRACE_PID, tid: ROOTRACE_PID, args: { free, used } }, this.now, e.seq);
  }

  /** Closes whatever is still open, sorts, and serialises: one trace event per line. */
  finish(): string {
    for (const tr of this.tracks.all()) this.closeAll(tr, tr.last);
    const end = Number.MAX_SAFE_INTEGER;
    for (const span of this.roots.values()) this.endSpan(span, end, 'run ended');
    for (const span of this.leaked.values()) this.endSpan(span, end, 'run ended (file still in temproots/)');
    this.roots.clear();
    this.leaked.clear();
    const body = [...this.out].sort((a, b) => a.ts - b.ts || a.order - b.order || a.depth - b.depth || a.sub - b.sub).map((o) => o.ev);
    const h = this.procs.header;
    const otherData = { generator: 'rootrace', schemaVersion: TRACE_SCHEMA_VERSION, ...(h ? { scenario: h.scenario, profile: h.profile, seed: h.seed } : {}) };
    const lines = [...this.tracks.metadata(), ...body].map((ev) => JSON.stringify(ev));
    return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)},"traceEvents":[\n${lines.join(',\n')}\n]}\n`;
  }
}
