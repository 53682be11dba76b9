/**
 * Cluster-wide jobs: every process ticks each job's timer, and the one whose claim of the
 * round lands (job_runs, a compare-and-set in the database) runs it, so a job runs once per
 * round across the cluster, not once per process. A tenth of the interval is slack for
 * drifting timers. Per-process work (the sim tick, snapshot flushes, the pre-generation scan
 * of the pets this process owns) is not a job: it covers disjoint pets.
 */
import fp from 'fastify-plugin';

export interface ClusterJob {
  name: string;
  intervalMs: number;
  /** Skips a round (without claiming it) while false, e.g. before the bot is ready. */
  ready?: () => boolean;
  run(): Promise<unknown>;
}

export interface Jobs {
  /** Adds a job; its timer starts when the app is ready. */
  add(job: ClusterJob): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

export const jobsPlugin = fp(
  async (app) => {
    const { logger, clock, processId } = app.core;
    const { jobRuns } = app.services;
    const jobs: ClusterJob[] = [];
    const timers: NodeJS.Timeout[] = [];
    const log = logger.child({ component: 'jobs' });
    app.decorate('jobs', { add: (job: ClusterJob) => void jobs.push(job) });
    app.addHook('onReady', () => {
      for (const job of jobs) {
        const timer = setInterval(() => {
          if (job.ready && !job.ready()) return;
          jobRuns
            .claim(job.name, processId, clock(), job.intervalMs * 0.9)
            .then((mine) => (mine ? job.run() : undefined))
            .catch((err: unknown) => log.error({ err, job: job.name }, 'job failed'));
        }, job.intervalMs);
        timer.unref();
        timers.push(timer);
      }
      return Promise.resolve();
    });
    app.addHook('preClose', () => {
      for (const timer of timers) clearInterval(timer);
      return Promise.resolve();
    });
  },
  { name: 'jobs', dependencies: ['core', 'services'] },
);
