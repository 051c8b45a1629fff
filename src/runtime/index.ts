export { ThreadsRuntime, type ThreadsRuntimeOptions } from './threads/threadsRuntime.js';
export { deriveSeed, mulberry32 } from './random.js';
export { SimRuntime, explore, exploreParallel, shrink, parseSchedule, scheduleToJson, hashEvents, ReplayStrategy, showDivergence, STRATEGIES, type SimRuntimeOptions, type SimRunResult, type ExploreOptions, type ExploreReport, type ExploreFinding, type ExploreProgress, type ShrinkReport, type Schedule, type StrategyName, type Divergence, type ReductionMode, type ReductionReport } from './sim/index.js';
export { SweepPool, type SweepTask, type SweepTaskResult } from './pool/sweepPool.js';
export { unlessAborted, abortReason } from './abort.js';
