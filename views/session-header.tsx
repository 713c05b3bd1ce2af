import type { Loaded } from '../app/engine/sessions.ts';
import { formatTime } from './format.ts';
import { PageAction } from './page-action.tsx';
import { urls } from './urls.ts';
import { outputUrls } from '../app/widgets/urls.ts';

/**
 * Title, provenance, the ways to the session's history and exports, and banners for what needs a decision
 * (left out when showing the past, where nothing may be decided).
 */
export function SessionHeader({ session, past }: { session: Loaded; past?: boolean }) {
  const { state, workflow, id } = session;
  const origin = state.forkedFrom;
  return (
    <>
      <hgroup>
        <h1>{workflow.title}</h1>
        <p>
          Session <code>{id}</code> · started {formatTime(state.startedAt)}
          {origin && 'session' in origin ? (
            <>
              {' '}
              · forked from <a href={urls.at(origin.session, origin.seq)}>{origin.session}</a> at entry {origin.seq}
            </>
          ) : null}
          {origin && 'file' in origin ? <> · imported from {origin.file}</> : null}
        </p>
      </hgroup>
      <nav class="session-links" aria-label="Session">
        <ul>
          <li>
            <a href={urls.history(id)}>History</a>
          </li>
          <li>
            <a href={urls.log(id)} download>
              Download log (.jsonl)
            </a>
          </li>
          <li>
            <a href={urls.summary(id)} download>
              Download values (.json)
            </a>
          </li>
          {session.files.list().length ? (
            <li>
              <a href={outputUrls.bundle(id)} download>
                Download files (.tar)
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
      {!past && state.version !== workflow.version ? (
        <article class="banner version-changed" role="alert">
          <p>
            <strong>The workflow has changed</strong> since this session last ran ({workflow.file} is now version{' '}
            <code>{workflow.version}</code>, the session ran under <code>{state.version}</code>). Continue under the new
            definition (steps are matched by id, values of removed steps stay in the log but no longer apply, new
            steps are asked for), or fork the values into a fresh session.
          </p>
          <PageAction action={urls.migrate(id)} label="Continue under the new definition" class="primary" />{' '}
          <PageAction action={urls.fork(id)} label="Fork into a fresh session" />
        </article>
      ) : null}
      {!past && session.missing ? (
        <article class="banner warning" role="alert">
          <p>
            <strong>Entries are missing from the end of this log</strong> ({session.missing} that were seen before). It
            is kept as it is, and nothing more is written to it; see its <a href={urls.history(id)}>history</a>, or
            fork it to go on.
          </p>
          <PageAction action={urls.fork(id)} label="Fork into a fresh session" />
        </article>
      ) : null}
      {!past && state.archived ? (
        <article class="banner archived">
          <p>This session is archived: it is hidden from the session list.</p>
          <PageAction action={urls.unarchive(id)} label="Unarchive" />
        </article>
      ) : null}
    </>
  );
}
