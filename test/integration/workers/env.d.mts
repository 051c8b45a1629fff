// Types for env.mjs.

/** The workerData this thread was started with; T is its type in protocol.ts. */
export declare function workerInput<T>(): T;
