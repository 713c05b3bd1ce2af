import { Layout } from './layout.tsx';
import { urls } from './urls.ts';

import type { Child } from 'hono/jsx';

const SESSION_PATH = /^\/s\/([A-Za-z0-9_-]{21})\/./;

/**
 * A plain page saying what went wrong, with ways on: home, and for a page inside a session the session itself
 * and its history (plus any other way out the caller gives). Never a stack trace.
 */
export function ErrorPage({ title, message, children, path }: { title: string; message: string; children?: Child; path?: string }) {
  const session = path ? SESSION_PATH.exec(path)?.[1] : undefined;
  return (
    <Layout title={title}>
      <article class="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        {children}
        <nav aria-label="Ways on">
          <ul>
            {session ? (
              <>
                <li>
                  <a href={urls.session(session)}>Open the session</a>
                </li>
                <li>
                  <a href={urls.history(session)}>The session's history</a>
                </li>
              </>
            ) : null}
            <li>
              <a href={urls.home()}>Back to the home page</a> (your sessions, and the workflows to start)
            </li>
          </ul>
        </nav>
      </article>
    </Layout>
  );
}
