import { Layout } from './layout.tsx';

import type { Child } from 'hono/jsx';

/** A plain page saying what went wrong, with the way home (and any other way out). Never a stack trace. */
export function ErrorPage({ title, message, children }: { title: string; message: string; children?: Child }) {
  return (
    <Layout title={title}>
      <article class="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        {children}
        <p>
          <a href="/">Back to the home page</a>
        </p>
      </article>
    </Layout>
  );
}
