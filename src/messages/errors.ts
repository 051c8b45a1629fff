/**
 * Errors with stable codes. Nix's own failures carry Nix's exact text; they cross
 * threads as plain `{ code, name, message, stack, data }` and are revived here.
 */

export type ErrorCode =
  | 'nix.InvalidPath'
  | 'nix.PathInUse'
  | 'nix.Cycle'
  | 'nix.MissingDerivation'
  | 'nix.StillAlive'
  | 'nix.SocketConnect'
  | 'nix.IgnoreLiveness'
  | 'nix.Io'
  | 'nix.Build'
  | 'nix.Disconnected'
  | 'nix.Assertion'
  | 'nix.Stoi'
  | 'nix.ConnectionReset'
  | 'rootrace.capacity'
  | 'rootrace.usage'
  | 'rootrace.deadlock'
  | 'rootrace.terminated'
  | 'rootrace.internal';

export interface SerializedError {
  readonly code: ErrorCode;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly data?: Readonly<Record<string, string | number>>;
}

export class RootraceError extends Error {
  readonly code: ErrorCode;
  readonly data: Readonly<Record<string, string | number>>;
  constructor(code: ErrorCode, message: string, data: Readonly<Record<string, string | number>> = {}) {
    // Nix's failures are data (Nix's text, a finding): their JavaScript stack says nothing, and capturing it was
    // a tenth of a small sim run. rootrace's own errors keep theirs.
    const limit = Error.stackTraceLimit;
    if (code.startsWith('nix.')) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.data = data;
    this.name = new.target.name;
  }
}

/** `path '%s' is not valid` (LocalStore::queryValidPathId). */
export class InvalidPathError extends RootraceError {
  constructor(path: string) {
    super('nix.InvalidPath', `path '${path}' is not valid`, { path });
  }
}

/** Nix's showPaths: each path single-quoted, joined by ", ". */
export function showPaths(paths: readonly string[]): string {
  return paths.map((p) => `'${p}'`).join(', ');
}

/** `cannot delete path '%s' because it is in use by %s` (invalidatePathChecked). */
export class PathInUseError extends RootraceError {
  constructor(path: string, referrers: readonly string[]) {
    super('nix.PathInUse', `cannot delete path '${path}' because it is in use by ${showPaths(referrers)}`, { path });
  }
}

/** `cycle detected in the references of '%s' from '%s'` (registerValidPaths' topoSort). */
export class CycleError extends RootraceError {
  constructor(path: string, parent: string) {
    super('nix.Cycle', `cycle detected in the references of '${path}' from '${parent}'`, { path, parent });
  }
}

/** `cannot build missing derivation '%s'` (2.8.0 DerivationGoal::loadDerivation). */
export class MissingDerivationError extends RootraceError {
  constructor(path: string) {
    super('nix.MissingDerivation', `cannot build missing derivation '${path}'`, { path });
  }
}

/** gcDeleteSpecific on a live path. `withReferrersHint` is the HEAD wording. */
export class StillAliveError extends RootraceError {
  constructor(path: string, withReferrersHint: boolean) {
    const tail = withReferrersHint
      ? 'nix-store --query --roots and nix-store --query --referrers'
      : 'nix-store --query --roots';
    super('nix.StillAlive', `Cannot delete path '${path}' since it is still alive. To find out why, use: ${tail}`, { path });
  }
}

/** `cannot connect to socket at '%s': No such file or directory` (2.10–2.19 hard error). */
export class SocketConnectError extends RootraceError {
  constructor(socketPath: string, reason: string) {
    super('nix.SocketConnect', `cannot connect to socket at '${socketPath}': ${reason}`, { path: socketPath });
  }
}

/** A fixed capacity of the shared store ran out; never a silent overwrite. */
export class CapacityError extends RootraceError {
  constructor(resource: string, capacity: number) {
    super('rootrace.capacity', `store capacity exceeded: ${resource} (capacity ${capacity}); size the run for more`, {
      resource,
      capacity,
    });
  }
}

/** A build failure with Nix's text (missing input output, missing dependency, …). */
export class BuildError extends RootraceError {
  constructor(message: string, path: string) {
    super('nix.Build', message, { path });
  }
}

/**
 * A failed `assert()`: the process aborts (SIGABRT) — no destructors run, so its
 * temp-roots file stays behind and only the kernel drops its locks. Whoever
 * runs actor code must end the process as a death, never as a caught error.
 */
export class AssertionAbort extends RootraceError {
  /** `path`: the store path the failed check was about, for the finding's causal chain. */
  constructor(where: string, expression: string, path: string) {
    super('nix.Assertion', `${where}: Assertion \`${expression}' failed.`, { where, expression, path });
  }
}

/**
 * A null dereference: the process dies of SIGSEGV, as at an abort — no
 * destructors, only the kernel drops its locks (the coordinator's `aborted`).
 */
export class SegmentationFault extends AssertionAbort {
  constructor(where: string, path: string) {
    super(where, 'accessor != nullptr', path);
    this.message = `Segmentation fault (${where} dereferences the null accessor for '${path}')`;
  }
}

/** `std::stoi` on a temp-roots file name that is no number (gc.cc:171 @2.34.0). libstdc++'s text. */
export class StoiError extends RootraceError {
  constructor() {
    super('nix.Stoi', 'stoi: no conversion');
  }
}

/** A roots-socket read that got RST (2.10–2.11 rethrow it). */
export class ConnectionResetError extends RootraceError {
  constructor() {
    super('nix.ConnectionReset', 'reading from file: Connection reset by peer');
  }
}

export class UsageError extends RootraceError {
  constructor(message: string) {
    super('rootrace.usage', message);
  }
}

const revivers: Partial<Record<ErrorCode, (e: SerializedError) => RootraceError>> = {
  'nix.InvalidPath': (e) => new InvalidPathError(String(e.data?.['path'] ?? '')),
};

export function serializeError(err: unknown): SerializedError {
  if (err instanceof RootraceError) {
    return { code: err.code, name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}), data: err.data };
  }
  if (err instanceof Error) {
    return { code: 'rootrace.internal', name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  }
  return { code: 'rootrace.internal', name: 'Error', message: String(err) };
}

/** Rebuilds an error on the receiving side with the same code, name and text. */
export function deserializeError(e: SerializedError): RootraceError {
  const revive = revivers[e.code];
  const err = revive ? revive(e) : new RootraceError(e.code, e.message, e.data ?? {});
  err.name = e.name;
  err.message = e.message;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

export function isRootraceError(err: unknown, code?: ErrorCode): err is RootraceError {
  return err instanceof RootraceError && (code === undefined || err.code === code);
}
