import type { Context, Hono } from 'hono';
import { notFound } from '../engine/errors.ts';
import { valuesOf } from '../engine/progress.ts';
import type { Engine } from '../engine/sessions.ts';
import { attachment } from '../files/content-types.ts';
import { readRows } from '../widgets/rows.ts';
import { showOutputs } from '../widgets/show.ts';
import { csvChunks, columnsOf, pageOf, sortRows, type SortDir } from '../widgets/table-data.ts';
import { pageSizeOf, type TableOutput } from '../widgets/table.tsx';

/**
 * The data behind a table output, derived as the done card derives it: the step's `show` called on the
 * session's values (as they were after entry `at`, when given) and files.
 */
async function tableAt(engine: Engine, c: Context): Promise<{ output: TableOutput; name: string; rows: ReturnType<typeof readRows> }> {
  const id = c.req.param('id')!;
  const stepId = c.req.param('step')!;
  const index = Number(c.req.param('index'));
  const s = await engine.load(id);
  const at = c.req.query('at');
  const state = at ? (await engine.past(id, /^[1-9][0-9]{0,15}$/.test(at) ? Number(at) : NaN)).state : s.state;
  const step = s.workflow.steps.find((st) => st.id === stepId);
  if (!step?.show || !state.completed.includes(step.id)) throw notFound(`Step "${stepId}" shows no outputs here.`);
  const shown = showOutputs(step, valuesOf(state, s.workflow), s.files);
  const output = shown.ok && Number.isInteger(index) ? shown.outputs[index] : undefined;
  if (output?.widget !== 'table') throw notFound(`Step "${stepId}" has no table number ${c.req.param('index')}.`);
  let rows;
  try {
    rows = readRows(output, s.files);
  } catch (err) {
    throw notFound(`The table cannot be read: ${(err as Error).message}.`);
  }
  return { output, name: `${s.workflow.id}-${step.id}-${index + 1}`, rows };
}

/** Tabulator's sort parameters: sort[0][field]=c2&sort[0][dir]=desc. */
function sortOf(c: Context): { field?: string; dir: SortDir } {
  const field = c.req.query('sort[0][field]');
  const dir = c.req.query('sort[0][dir]') === 'desc' ? 'desc' : 'asc';
  return { field, dir };
}

/** A table's rows page by page as JSON (for the browser's table), and all of them as CSV. */
export function outputRoutes(app: Hono, engine: Engine): void {
  app.get('/s/:id/outputs/:step/:index/rows', async (c) => {
    const { output, rows } = await tableAt(engine, c);
    const columns = columnsOf(output.columns, rows.keys);
    const { field, dir } = sortOf(c);
    const position = field && /^c[0-9]+$/.test(field) ? Number(field.slice(1)) : -1;
    const sorted = sortRows(rows.rows, columns[position]?.key, dir);
    const page = Number(c.req.query('page') ?? 1);
    const size = Number(c.req.query('size') ?? pageSizeOf(output));
    const safeSize = Number.isInteger(size) ? Math.min(500, Math.max(1, size)) : pageSizeOf(output);
    return c.json(pageOf(sorted, columns, Number.isInteger(page) ? page : 1, safeSize));
  });

  app.get('/s/:id/outputs/:step/:index/csv', async (c) => {
    const { output, rows, name } = await tableAt(engine, c);
    const columns = columnsOf(output.columns, rows.keys);
    const chunks = csvChunks(rows.rows, columns);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(`${name}.csv`), 'cache-control': 'no-cache' });
  });
}
