import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** The whole HTML page around a view: Pico for looks, htmx for swaps, all served from node_modules. */
export function Layout(props: { title: string; children: Child; assets?: readonly string[] }) {
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
          <title>{props.title} · Cardtrail</title>
          <link rel="stylesheet" href="/assets/pico.min.css" />
          <link rel="stylesheet" href="/assets/cardtrail.css" />
          <link rel="stylesheet" href="/assets/widgets.css" />
          <script src="/assets/htmx.min.js"></script>
          <script src="/assets/hx-sse.min.js"></script>
          <script src="/assets/cardtrail.js"></script>
          <script src="/assets/widgets.js"></script>
          {assets.map((name) =>
            name.endsWith('.css') ? <link rel="stylesheet" href={`/assets/${name}`} /> : <script defer src={`/assets/${name}`}></script>,
          )}
        </head>
        <body>
          <header class="container">
            <nav>
              <ul>
                <li>
                  <a href="/" class="brand">
                    <strong>Cardtrail</strong>
                  </a>
                </li>
              </ul>
            </nav>
          </header>
          <main class="container">{props.children}</main>
        </body>
      </html>
    </>
  );
}
