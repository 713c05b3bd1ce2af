import { Layout } from './layout.tsx';

/** A plain page saying what went wrong, with the way home. Never a stack trace. */
export function ErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <Layout title={title}>
      <article class="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to the home page</a>
        </p>
      </article>
    </Layout>
  );
}
