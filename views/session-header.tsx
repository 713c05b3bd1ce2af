import type { Loaded } from '../app/engine/sessions.ts';
import { formatTime } from './format.ts';
import { PageAction } from './page-action.tsx';
import { urls } from './urls.ts';
import { stopMessage } from '../app/log/store.ts';
import { sessionTitle } from './title.ts';
import { TitleForm } from './title-form.tsx';
import { outputUrls } from '../app/widgets/urls.ts';
import type { Integrity } from '../app/log/line-index.ts';
import { IntegrityNotice } from './integrity.tsx';

/**
 * Title, provenance, the ways to the session's history and exports, and banners for what needs a decision
 * (left out when showing the past, where nothing may be decided). `integrity`, on the session page, is what is
 * known of the log's hash chain, or 'ask' to have the page ask for it (the History page says it itself).
 */
export function SessionHeader({ session, past, integrity }: { session: Loaded; past?: boolean; integrity?: Integrity | 'ask' }) {
  const { state, workflow, id } = session;
  const origin = state.forkedFrom;
  return (
    <>
      <hgroup>
        <h1 id="session-title">{sessionTitle(session)}</h1>
        <p>
          {workflow.title} · session <code>{id}</code> · started {formatTime(state.startedAt)}
        </p>
      </hgroup>
      {past ? null : <TitleForm id={id} workflow={workflow} state={state} />}
      {origin && 'session' in origin ? (
        <p class="notice good origin" role="status">
          This session is a copy of <a href={urls.session(origin.session)}>session {origin.session}</a>, with its
          values up to <a href={urls.at(origin.session, origin.seq)}>entry {origin.seq}</a>. Changes here leave the
          original as it is.
        </p>
      ) : null}
      {origin && 'file' in origin ? (
        <p class="notice good origin" role="status">
          This session was imported from the file {origin.file} (its values up to entry {origin.seq}). The file is
          not changed.
        </p>
      ) : null}
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
            <strong>The workflow has changed</strong> since this session last ran ({workflow.file} was edited). Go on
            with the changed workflow (steps that are still there keep their values, new steps are asked for), or copy
            the values to a new session.{' '}
            <small>
              (Versions: now <code>{workflow.version}</code>, this session <code>{state.version}</code>.)
            </small>
          </p>
          <PageAction action={urls.migrate(id)} label="Go on with the changed workflow" class="primary" />{' '}
          <PageAction action={urls.fork(id)} label="Copy to a new session" />
        </article>
      ) : null}
      {!past && session.missing ? (
        <article class="banner warning" role="alert">
          <p>
            <strong>Entries are missing from the end of this log</strong> ({session.missing} that were seen before). It
            is kept as it is, and nothing more is written to it; see its <a href={urls.history(id)}>history</a>, or
            copy it to a new session to go on.
          </p>
          <PageAction action={urls.fork(id)} label="Copy to a new session" />
        </article>
      ) : null}
      {!past && session.stop ? (
        <article class="banner warning" role="alert">
          <p>
            <strong>Read-only.</strong> {stopMessage(session.stop)} See its <a href={urls.history(id)}>history</a>.
          </p>
          <PageAction action={urls.fork(id)} label="Fork into a fresh session" />
        </article>
      ) : null}
      {!past && !session.stop && integrity ? <IntegrityNotice id={id} integrity={integrity} /> : null}
      {!past && state.archived ? (
        <article class="banner archived">
          <p>This session is archived: it is hidden from the session list.</p>
          <PageAction action={urls.unarchive(id)} label="Unarchive" />
        </article>
      ) : null}
    </>
  );
}
