import { PAGE_SIZE, SESSION_STATUSES, type SessionFilter, type SessionRow } from '../app/catalog/catalog.ts';
import { pageCount } from '../app/catalog/query.ts';
import type { LoadedWorkflow, WorkflowProblem } from '../app/engine/discover.ts';
import { Layout } from './layout.tsx';
import { urls } from './urls.ts';
import { EmptySessions } from './empty-state.tsx';
import { raw } from 'hono/html';
import { sessionRowBytes } from './session-row.tsx';

type Props = {
  workflows: LoadedWorkflow[];
  /** The sessions on this page of the list. */
  sessions: readonly SessionRow[];
  /** How many sessions match the filter across all pages. */
  total: number;
  problems: WorkflowProblem[];
  filter: SessionFilter;
  /** Jobs by status, from the catalog's jobs table: the queue at a glance. */
  jobs: Record<string, number>;
  /** A line to show at the top: what just happened, or why an import was refused. */
  notice?: { text: string; bad?: boolean };
};

const STATUS_LABELS: Record<string, string> = {
  active: 'Not archived',
  open: 'Open',
  finalized: 'Finalized',
  archived: 'Archived',
  all: 'All',
};

/** Where the rows go in the drawn page (no text a user gave can read so: it is escaped). */
const ROWS_HERE = '<!--cardtrail:rows-->';

/**
 * The home page as the UTF-8 bytes it is sent as: the page drawn around its rows, and the rows' kept bytes put in
 * their place. Drawn whole as one string, the 80 KB page was a rope of pieces (and, with a "…" in it, of two-byte
 * characters) that the server flattened to measure it and encoded again to send it.
 */
export async function homePage(props: Props): Promise<Buffer> {
  const html = await (<HomePage {...props} />).toString();
  const at = html.indexOf(ROWS_HERE);
  if (at < 0) return Buffer.from(html);
  const titles = new Map(props.workflows.map((w) => [w.id, w.title]));
  const rows = props.sessions.map((s) => sessionRowBytes({ session: s, workflowTitle: titles.get(s.workflow) ?? s.workflow }));
  return Buffer.concat([Buffer.from(html.slice(0, at)), ...rows, Buffer.from(html.slice(at + ROWS_HERE.length))]);
}

/** The home page: the workflows one can start, and the sessions one can resume, filter, archive or delete. */
function HomePage({ workflows, sessions, total, problems, filter, jobs, notice }: Props) {
  return (
    <Layout title="Home">
      {notice ? (
        <p class={notice.bad ? 'notice' : 'notice good'} role={notice.bad ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      <section>
        <h1>Start a workflow</h1>
        {workflows.length === 0 ? <p>No workflows are installed. Add a file to workflows/.</p> : null}
        <div class="workflow-grid">
          {workflows.map((wf) => (
            <article>
              <h2>{wf.title}</h2>
              {wf.description ? <p>{wf.description}</p> : null}
              <form method="post" action={urls.start(wf.id)}>
                <button type="submit">Start {wf.title}</button>
              </form>
            </article>
          ))}
        </div>
        {problems.map((p) => (
          <article class="problem" role="alert">
            <strong>{p.file} was not loaded:</strong>
            <ul>
              {p.problems.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
          </article>
        ))}
        <details>
          <summary>Import a session log</summary>
          <form method="post" action={urls.importLog()} enctype="multipart/form-data">
            <label>
              Log file (.jsonl, as downloaded from a session)
              <input type="file" name="log" accept=".jsonl,application/x-ndjson" required />
            </label>
            <label>
              Its files (.tar, optional, as downloaded beside the log)
              <input type="file" name="files" accept=".tar,application/x-tar" />
            </label>
            <button type="submit">Import</button>
          </form>
        </details>
      </section>
      <section>
        <h2>Sessions</h2>
        {jobs.running || jobs.queued ? (
          <p id="job-queue">
            Jobs: {jobs.running ?? 0} running, {jobs.queued ?? 0} waiting for a free slot.
          </p>
        ) : null}
        <form method="get" action="/" class="filters" role="search">
          <fieldset role="group">
            <input type="search" name="q" value={filter.q ?? ''} placeholder="Search titles, values, notes, steps" aria-label="Search sessions" />
            <select name="workflow" aria-label="Workflow">
              <option value="">All workflows</option>
              {workflows.map((w) => (
                <option value={w.id} selected={filter.workflow === w.id}>
                  {w.title}
                </option>
              ))}
            </select>
            <select name="status" aria-label="Status">
              {SESSION_STATUSES.map((s) => (
                <option value={s} selected={(filter.status ?? 'active') === s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
            <button type="submit" class="secondary">
              Filter
            </button>
          </fieldset>
        </form>
        {sessions.length === 0 ? (
          <EmptySessions filter={filter} />
        ) : (
          <div class="overflow-auto">
            <table id="sessions">
              <thead>
                <tr>
                  <th>Workflow</th>
                  <th>Started</th>
                  <th>Last change</th>
                  <th>Current step</th>
                  <th>Status</th>
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {raw(ROWS_HERE)}
              </tbody>
            </table>
          </div>
        )}
        <Pages filter={filter} total={total} />
      </section>
    </Layout>
  );
}

/** "Sessions 101–200 of 340" with plain links to the previous and next page, keeping the filter and search. */
function Pages({ filter, total }: { filter: SessionFilter; total: number }) {
  const page = filter.page ?? 1;
  const last = pageCount(total);
  if (last === 1) return null;
  const first = (page - 1) * PAGE_SIZE + 1;
  return (
    <nav aria-label="Pages of sessions" class="pages">
      <ul>
        <li>{page > 1 ? <a href={listUrl(filter, page - 1)} rel="prev">← Newer</a> : null}</li>
        <li>
          Sessions {first}–{Math.min(total, first + PAGE_SIZE - 1)} of {total} (page {page} of {last})
        </li>
        <li>{page < last ? <a href={listUrl(filter, page + 1)} rel="next">Older →</a> : null}</li>
      </ul>
    </nav>
  );
}

/** The home page's address for a filter at a page. */
export function listUrl(filter: SessionFilter, page: number): string {
  const query = new URLSearchParams();
  if (filter.q) query.set('q', filter.q);
  if (filter.workflow) query.set('workflow', filter.workflow);
  if (filter.status && filter.status !== 'active') query.set('status', filter.status);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/?${text}` : '/';
}
