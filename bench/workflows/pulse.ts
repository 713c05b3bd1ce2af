import { setTimeout as sleep } from 'node:timers/promises';
import { defineWorkflow } from '../../app/engine/definition.ts';

/**
 * For the SSE rows of the benchmark: waits `delay` ms (while the watchers attach), then reports `count` updates
 * `spacing` ms apart, each message carrying the absolute time (epoch ms, performance.timeOrigin + now()) at which
 * progress() was called, so a client in another process can measure how late it arrived.
 */
export default defineWorkflow({
  id: 'pulse',
  title: 'Pulse (benchmark)',
  steps: [
    {
      id: 'work',
      title: 'Work',
      fields: [
        { key: 'count', kind: 'number', label: 'Updates', integer: true, min: 1, default: 200 },
        { key: 'spacing', kind: 'number', label: 'Milliseconds apart', integer: true, min: 0, default: 10 },
        { key: 'delay', kind: 'number', label: 'Milliseconds before the first', integer: true, min: 0, default: 2000 },
      ],
      run: async (ctx) => {
        await sleep(Number(ctx.params.delay), undefined, { signal: ctx.signal });
        const count = Number(ctx.params.count);
        for (let i = 1; i <= count; i++) {
          ctx.progress(i, count, `t=${(performance.timeOrigin + performance.now()).toFixed(3)}`);
          await sleep(Number(ctx.params.spacing), undefined, { signal: ctx.signal });
        }
        return { sent: count };
      },
    },
  ],
});
