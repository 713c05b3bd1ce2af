import { setTimeout as sleep } from 'node:timers/promises';
import { defineWorkflow } from '../app/engine/definition.ts';

/**
 * A stream simulator: a job that counts ticks at the pace chosen, so live progress, reload, cancel, failure,
 * interruption and resuming from a checkpoint can all be watched by hand.
 */
export default defineWorkflow({
  id: 'ticker',
  title: 'Ticker (job demo)',
  description: 'Runs a job that reports each tick; reload, cancel or stop the server while it runs.',
  steps: [
    {
      id: 'simulate',
      title: 'Simulate',
      description: 'Counts ticks in the server. Progress streams to every open tab.',
      help: 'Runs a **job** in the server. While it runs you can reload the page, open a second tab or Cancel. Give *Fail on purpose at tick* to see how a failure reads.',
      fields: [
        { key: 'ticks', kind: 'number', label: 'Ticks', required: true, integer: true, min: 1, max: 100000, default: 30 },
        { key: 'interval', kind: 'number', label: 'Milliseconds per tick', required: true, integer: true, min: 0, max: 10000, default: 200 },
        { key: 'failAt', kind: 'number', label: 'Fail on purpose at tick', integer: true, min: 1, help: 'Leave empty to succeed.' },
      ],
      results: { counted: 'Ticks counted', resumedAt: 'Resumed at tick', elapsedMs: 'Milliseconds' },
      run: async ({ params, progress, log, signal, checkpoint, lastCheckpoint }) => {
        const ticks = Number(params.ticks);
        const resumedAt = typeof lastCheckpoint === 'number' ? lastCheckpoint : 0;
        if (resumedAt) log(`Resuming after tick ${resumedAt}`);
        const started = Date.now();
        for (let tick = resumedAt + 1; tick <= ticks; tick++) {
          await sleep(Number(params.interval), undefined, { signal });
          if (tick === params.failAt) throw new Error(`Tick ${tick} failed on purpose.`);
          progress(tick, ticks, `Tick ${tick}`);
          await checkpoint(tick);
        }
        return { counted: ticks, resumedAt, elapsedMs: Date.now() - started };
      },
    },
    {
      id: 'review',
      title: 'Review',
      fields: [
        {
          key: 'verdict',
          kind: 'text',
          label: 'Verdict',
          required: true,
          default: ({ counted, elapsedMs }) => `Counted ${counted} ticks in ${elapsedMs} ms.`,
        },
      ],
    },
  ],
});
