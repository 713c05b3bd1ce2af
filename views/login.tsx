import { Layout } from './layout.tsx';

/** The sign-in page of passphrase mode: one field, and why the last try did not work. */
export function LoginPage(props: { next: string; message?: string; good?: boolean }) {
  return (
    <Layout title="Sign in">
      <article class="login">
        <h1>Sign in</h1>
        <p>This Cardtrail asks for its passphrase (the one it was started with, CARDTRAIL_PASSPHRASE).</p>
        {props.message ? (
          <p class={props.good ? 'notice good' : 'notice'} role={props.good ? 'status' : 'alert'}>
            {props.message}
          </p>
        ) : null}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Passphrase
            <input type="password" name="passphrase" autocomplete="current-password" required autofocus />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </article>
    </Layout>
  );
}
