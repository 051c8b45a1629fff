/**
 * Stopping long loops (runMany, sweeps, explore, shrink) at an interrupt: the
 * CLI's AbortSignal (cli/interrupt.ts) is polled between runs, and a run in
 * flight is raced against it and abandoned; whoever started the run then
 * stops its threads (ThreadsRuntime.close, SweepPool.close).
 */

/**
 * Resolves with `work`'s value, or with null as soon as `signal` aborts (the
 * work is then abandoned: the caller stops what it started).
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | null> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = (): void => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The signal's name (`SIGINT`) when the CLI aborted it for one, else `'interrupted'`. */
export function abortReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'interrupted';
}
