import { Layout } from './layout.tsx';
import { PageAction } from './page-action.tsx';

/** Asks before something hard to undo; the safe choice is a plain link back. */
export function ConfirmPage(props: { title: string; message: string; action: string; label: string; back: string }) {
  return (
    <Layout title={props.title}>
      <article class="confirm">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <PageAction action={props.action} label={props.label} class="primary" />{' '}
        <a href={props.back} role="button" class="secondary outline">
          Cancel
        </a>
      </article>
    </Layout>
  );
}
