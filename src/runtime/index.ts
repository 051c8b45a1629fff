export { ThreadsRuntime, type ThreadsRuntimeOptions } from './threads/threadsRuntime.js';
export { deriveSeed, mulberry32 } from './random.js';
