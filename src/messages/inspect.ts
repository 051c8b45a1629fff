/**
 * The inspection stream: one union, tagged `inspect.*`. Every event carries the
 * global sequence number, microseconds since run start, the hosting thread id,
 * the pid and actor. Observers (src/report) render it; nothing else is needed.
 */

/** `aborted`: died on a failed assertion (SIGABRT): no destructors ran. */
export type ExitCause = 'normal' | 'error' | 'terminated' | 'aborted';
export type ActorRole = 'evaluator' | 'daemonWorker' | 'gc' | 'autoGcThread' | 'coordinator';

export interface EventHeader {
  readonly seq: number;
  readonly t: number;
  readonly thread: number;
  readonly pid: number;
  readonly actor: string;
}

export type InspectBody =
  /** The run header: always the first event (lowest seq) of a run. Free/used: the store's bytes then. */
  | { readonly type: 'inspect.run.start'; readonly scenario: string; readonly profile: string; readonly seed: number; readonly free: number; readonly used: number }
  /** The coordinator closed the books: no later event belongs to the run. */
  | { readonly type: 'inspect.run.end' }
  | { readonly type: 'inspect.process.start'; readonly role: ActorRole; readonly name: string; readonly parent?: number }
  | { readonly type: 'inspect.process.exit'; readonly cause: ExitCause; readonly error?: string; readonly heldLocks: number; readonly roots: readonly string[] }
  | { readonly type: 'inspect.connection.open'; readonly kind: 'daemon' | 'gcSocket'; readonly peer: number }
  | { readonly type: 'inspect.connection.close'; readonly kind: 'daemon' | 'gcSocket'; readonly peer: number }
  | { readonly type: 'inspect.tempRoots.create'; readonly file: number }
  /** `file-undelivered`: a GC was running but never heard of it; `switch` names the behaviour that swallowed the send. */
  | { readonly type: 'inspect.tempRoot.add'; readonly path: string; readonly via: 'file' | 'socket' | 'file-undelivered'; readonly switch?: { readonly name: string; readonly value: string | number | boolean } }
  | { readonly type: 'inspect.tempRoots.stale'; readonly file: number; readonly gcRun: string }
  | { readonly type: 'inspect.tempRoots.unlink'; readonly file: number; readonly reason: 'destructor' | 'restart' }
  | { readonly type: 'inspect.lock.wait'; readonly file: string; readonly mode: 'shared' | 'exclusive' }
  | { readonly type: 'inspect.lock.grant'; readonly file: string; readonly mode: 'shared' | 'exclusive' }
  | { readonly type: 'inspect.roots.connect'; readonly result: 'ok' | 'ENOENT' | 'ECONNREFUSED' }
  /** A client sends a root over gc-socket/socket to the running GC (its ack is `inspect.roots.ack`). */
  | { readonly type: 'inspect.roots.send'; readonly path: string }
  | { readonly type: 'inspect.roots.ack'; readonly path: string; readonly gcRun: string; readonly waited: boolean }
  | { readonly type: 'inspect.gc.phase'; readonly gcRun: string; readonly phase: GcPhase }
  | { readonly type: 'inspect.gc.delete'; readonly gcRun: string; readonly path: string; readonly bytes: number; readonly free?: number; readonly used?: number }
  | { readonly type: 'inspect.gc.keep'; readonly gcRun: string; readonly path: string; readonly reason: string }
  | { readonly type: 'inspect.autoGc.decision'; readonly decision: 'run' | 'skip-interval' | 'skip-enough-free' | 'skip-no-progress' | 'join-running'; readonly avail: number; readonly toFree: number }
  /** A daemon worker starts handling request `id` of its client (ends with the matching `inspect.op`). */
  | { readonly type: 'inspect.op.start'; readonly op: string; readonly id: number; readonly path: string; readonly refs?: readonly string[] }
  | { readonly type: 'inspect.op'; readonly op: string; readonly path: string; readonly result: 'ok' | 'error'; readonly error?: string; readonly id?: number; readonly free?: number; readonly used?: number }
  /** A client sends daemon request `id` on its current connection, and gets the reply (or EOF). */
  | { readonly type: 'inspect.client.call'; readonly op: string; readonly id: number }
  | { readonly type: 'inspect.client.reply'; readonly op: string; readonly id: number; readonly result: 'ok' | 'error' | 'eof'; readonly error?: string }
  /**
   * A check whose answer another process could make stale (`isValidPath` and the
   * like), at a named code site, with what the code did next. `rooted`: this
   * process (its daemon worker, for a client) had temp-rooted the path before
   * asking. `switch`: the behaviour switch that chose this code path, if any.
   */
  | { readonly type: 'inspect.check'; readonly check: 'isValidPath'; readonly site: string; readonly path: string; readonly valid: boolean; readonly rooted: boolean; readonly then: string; readonly switch?: { readonly name: string; readonly value: string | number | boolean } }
  /** A looping process finished iteration `n` (`ok`: no step failed, no spawned process failed). */
  | { readonly type: 'inspect.loop.iteration'; readonly n: number; readonly ok: boolean }
  | { readonly type: 'inspect.log'; readonly level: 'info' | 'talkative' | 'debug' | 'error'; readonly text: string }
  | { readonly type: 'inspect.finding'; readonly kind: FindingKind; readonly message: string; readonly path: string }
  /**
   * An injected crash (a scenario's `crash:` point, `--crash`, a crash sweep):
   * this actor reached `label` for the `occurrence`-th time and `signal` landed
   * there; `process` is who dies of it (a GC thread's process dies with it).
   */
  | { readonly type: 'inspect.crash'; readonly signal: 'kill' | 'term'; readonly label: string; readonly occurrence: number; readonly process: string };

export type GcPhase = 'waiting-lock' | 'locked' | 'socket-up' | 'perm-roots' | 'temp-roots' | 'deleting' | 'links' | 'stopping' | 'done' | 'aborted';

export type InspectEvent = EventHeader & InspectBody;

/** Kinds of finding (DESIGN.md §6). */
export type FindingKind =
  | 'invalid-reference'
  | 'missing-derivation'
  | 'missing-input-output'
  | 'gc-safety'
  | 'closure'
  | 'gc-aborted'
  | 'deadlock'
  /** A process died on a failed assertion (SIGABRT), e.g. a build goal whose drv vanished between check and root. */
  | 'process-aborted'
  | 'socket-error'
  | 'client-error';

/** Kinds whose message is rootrace's account of a broken invariant (the simulator checks it), not a text Nix prints. */
export const INVARIANT_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>(['gc-safety', 'closure', 'deadlock']);
