import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { assetUrl } from '../app/assets.ts';
import { plainText } from '../app/fields/unprintable.ts';
import { SiteHeader } from './header.tsx';

/**
 * The whole HTML page around a view: Pico for looks, htmx for swaps, all served from node_modules. With an
 * `aside` (the session's side pane) the content sits beside it, or above it on a narrow screen. `assets` are
 * the browser files the output widgets on the page need.
 */
export function Layout(props: { title: string; children: Child; aside?: Child; assets?: readonly string[] }) {
  const assets = props.assets ?? [];
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <link rel="icon" href="data:," />
          {/* No markup can isolate text in a <title>: controls and bidi controls are left out of it. */}
          <title>{plainText(props.title)} · Cardtrail</title>
          <link rel="stylesheet" href={assetUrl('pico.min.css')} />
          <link rel="stylesheet" href={assetUrl('cardtrail.css')} />
          <link rel="stylesheet" href={assetUrl('widgets.css')} />
          <script src={assetUrl('htmx.min.js')}></script>
          <script src={assetUrl('hx-sse.min.js')}></script>
          <script src={assetUrl('cardtrail.js')}></script>
          <script src={assetUrl('connection.js')}></script>
          <script src={assetUrl('side-pane.js')}></script>
          <script src={assetUrl('widgets.js')}></script>
          {assets.map((name) =>
            name.endsWith('.css') ? <link rel="stylesheet" href={assetUrl(name)} /> : <script defer src={assetUrl(name)}></script>,
          )}
        </head>
        <body>
          <SiteHeader />
          <main id="main" tabindex={-1} class={props.aside ? 'container workspace' : 'container'}>
            {props.aside ? (
              <>
                <div class="workspace-main">{props.children}</div>
                {props.aside}
              </>
            ) : (
              props.children
            )}
          </main>
          <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
        </body>
      </html>
    </>
  );
}
