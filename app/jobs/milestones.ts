import type { JobSnapshot } from './context.ts';

/**
 * A line a running job reported: each line that enters its snapshot's `recent` (a `ctx.log` line, or a new
 * status line of `ctx.progress`). Milestones are shown in the session's activity pane while the job runs and are
 * never written to the log: progress is throwaway.
 */
export type Milestone = { session: string; job: string; step: string; line: string };

/** The recent lines of a session's jobs that the runner holds now (queued or running), oldest first. */
export function runningMilestones(jobs: { snapshot(session: string, step: string): JobSnapshot | undefined }, session: string, steps: readonly string[]): Milestone[] {
  return steps.flatMap((step) => {
    const snapshot = jobs.snapshot(session, step);
    return snapshot ? snapshot.recent.map((line) => ({ session, job: snapshot.job, step, line })) : [];
  });
}
