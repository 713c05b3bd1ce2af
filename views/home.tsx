import type { SessionRow } from '../app/catalog/catalog.ts';
import type { LoadedWorkflow, WorkflowProblem } from '../app/engine/discover.ts';
import { formatTime } from './format.ts';
import { Layout } from './layout.tsx';
import { urls } from './urls.ts';

type Props = { workflows: LoadedWorkflow[]; sessions: SessionRow[]; problems: WorkflowProblem[]; titles: Map<string, string> };

/** The home page: the workflows one can start and the sessions one can resume. */
export function HomePage({ workflows, sessions, problems, titles }: Props) {
  return (
    <Layout title="Home">
      <section>
        <h1>Start a workflow</h1>
        {workflows.length === 0 ? <p>No workflows are installed. Add a file to workflows/.</p> : null}
        <div class="workflow-grid">
          {workflows.map((wf) => (
            <article>
              <h3>{wf.title}</h3>
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
      </section>
      <section>
        <h2>Recent sessions</h2>
        {sessions.length === 0 ? (
          <p>No sessions yet.</p>
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
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr data-session={s.id}>
                    <td>{titles.get(s.workflow) ?? s.workflow}</td>
                    <td>{formatTime(s.startedAt)}</td>
                    <td>{formatTime(s.updatedAt)}</td>
                    <td>{s.currentStep ?? 'All done'}</td>
                    <td>{s.finalized ? 'Finalized' : 'Open'}</td>
                    <td>
                      <a href={urls.session(s.id)}>Resume</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
