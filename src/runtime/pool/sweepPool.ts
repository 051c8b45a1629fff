/**
 * Independent runs of a sweep on a piscina pool of `jobs` threads. Each task is
 * a batch of one point's runs (sweepTask.worker.ts). `atomics: 'disabled'` because a task
 * thread's own worker threads and timers must keep running between tasks.
 */
import { Piscina } from 'piscina';
import type { SweepTask, SweepTaskResult } from '../entries/sweepTask.worker.js';

export type { SweepRunResult, SweepTask, SweepTaskResult } from '../entries/sweepTask.worker.js';

export class SweepPool {
  private readonly pool: Piscina<SweepTask, SweepTaskResult>;

  /** `perThread`: tasks in flight per thread (2 hides the dispatch round trip for light sim runs). */
  constructor(jobs: number, perThread = 1) {
    this.pool = new Piscina({
      filename: new URL('../entries/sweepTask.worker.js', import.meta.url).href,
      minThreads: jobs,
      maxThreads: jobs,
      idleTimeout: 60_000,
      atomics: 'disabled',
      // Runs are async and independent, so several may interleave in one thread.
      concurrentTasksPerWorker: perThread,
    });
  }

  run(task: SweepTask): Promise<SweepTaskResult> {
    return this.pool.run(task);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
