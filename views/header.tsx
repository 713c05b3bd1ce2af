import { tryGetContext } from 'hono/context-storage';
import { menuItems } from '../app/menu.ts';
import { visitorOf } from '../app/passphrase.ts';
import { urls } from './urls.ts';

/**
 * The top of every page: the skip link, the way home, the app's links (not for a visitor who has not signed
 * in), and the banner the browser shows while the server does not answer (public/connection.js).
 */
export function SiteHeader() {
  const visitor = visitorOf(tryGetContext());
  return (
    <>
      <a href="#main" class="skip-link">
        Skip to the content
      </a>
      <header class="container site-header">
        <nav aria-label="Cardtrail">
          <ul>
            <li>
              <a href={urls.home()} class="brand">
                <strong>Cardtrail</strong>
              </a>
            </li>
          </ul>
          {visitor === 'signed-out' ? null : <AppLinks signOut={visitor === 'signed-in'} />}
        </nav>
      </header>
      <div id="connection" class="connection-banner" role="alert" hidden>
        <span class="connection-text">Cardtrail is not answering — retrying…</span>
      </div>
    </>
  );
}

/** The sessions, the menu of workflows to start, and (in passphrase mode) Sign out. */
function AppLinks({ signOut }: { signOut: boolean }) {
  const workflows = menuItems();
  return (
    <ul>
      <li>
        <a href={urls.home()}>Sessions</a>
      </li>
      {workflows.length ? (
        <li>
          <details class="dropdown workflow-menu">
            <summary>Start a workflow</summary>
            <ul dir="rtl">
              {workflows.map((wf) => (
                <li dir="ltr">
                  <form method="post" action={urls.start(wf.id)}>
                    <button type="submit" class="menu-item">
                      {wf.title}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </details>
        </li>
      ) : null}
      {signOut ? (
        <li>
          <form method="post" action="/logout" class="inline-action">
            <button type="submit" class="secondary outline">
              Sign out
            </button>
          </form>
        </li>
      ) : null}
    </ul>
  );
}
