import type { Child } from 'hono/jsx';
import { POSITION_FIELD } from '../app/engine/stale.ts';

/**
 * A form that posts to the session and swaps the answer in place of the whole trail. It works without
 * JavaScript too (the server then redirects back to the page). `seq`: the log position the page was rendered
 * from, sent back so a change from a stale tab is refused (app/engine/stale.ts).
 */
export function TrailForm(props: { action: string; class?: string; seq?: number; enctype?: 'multipart/form-data'; children: Child }) {
  return (
    <form method="post" action={props.action} hx-post={props.action} hx-target="#trail" hx-swap="outerHTML" class={props.class} enctype={props.enctype} novalidate>
      {props.seq === undefined ? null : <input type="hidden" name={POSITION_FIELD} value={String(props.seq)} />}
      {props.children}
    </form>
  );
}

/** A single-button form, for revert, finalize and the like. */
export function ActionButton(props: { action: string; label: string; class?: string; seq?: number; detail?: string; describedBy?: string }) {
  return (
    <TrailForm action={props.action} class="inline-action" seq={props.seq}>
      <button type="submit" class={props.class ?? 'secondary outline'} aria-describedby={props.describedBy}>
        {props.label}
        {props.detail ? <span class="visually-hidden"> {props.detail}</span> : null}
      </button>
    </TrailForm>
  );
}
