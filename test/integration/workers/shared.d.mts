// Types for shared.mjs (used by the tests and by their workers).

export declare const CTL: {
  readonly arrived: 0;
  readonly exclusiveInside: 1;
  readonly sharedInside: 2;
  readonly release: 3;
};
export declare const CTL_SLOTS: 4;
export declare function makeControl(): SharedArrayBuffer;
export declare function barrier(ctl: Int32Array, parties: number): void;
export declare function awaitSignal(ctl: Int32Array, slot: number): void;
export declare function mulberry32(seed: number): () => number;
export declare function shuffle<T>(items: T[], rand: () => number): T[];
export declare function busyWork(rounds: number): number;
