import type { Child } from 'hono/jsx';

/**
 * A form that posts to the session and swaps the answer in place of the whole trail. It works without
 * JavaScript too (the server then redirects back to the page).
 */
export function TrailForm(props: { action: string; class?: string; enctype?: 'multipart/form-data'; children: Child }) {
  return (
    <form method="post" action={props.action} hx-post={props.action} hx-target="#trail" hx-swap="outerHTML" class={props.class} enctype={props.enctype} novalidate>
      {props.children}
    </form>
  );
}

/** A single-button form, for revert, finalize and the like. */
export function ActionButton(props: { action: string; label: string; class?: string}) {
  return (
    <TrailForm action={props.action} class="inline-action">
      <button type="submit" class={props.class ?? 'secondary outline'}>
        {props.label}
      </button>
    </TrailForm>
  );
}
