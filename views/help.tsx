import { raw } from 'hono/html';
import type { Step, Workflow } from '../app/engine/definition.ts';
import { once } from '../app/lazy.ts';
import { markdownIt, sanitizeHtml, type SanitizeOptions } from '../app/libraries.ts';

// Raw HTML in the markdown is shown as text (html: false), and what markdown-it makes is sanitised again, so
// a workflow's help can never carry a script, a style or an event handler into the page.
// Both libraries load at the first help shown (a session page), not when the server starts.
const markdown = once(() => new (markdownIt())({ html: false, linkify: false, typographer: true }));
const sanitizeOptions = once((): SanitizeOptions => ({
  allowedTags: ['p', 'em', 'strong', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'blockquote', 'h3', 'h4', 'br', 'hr'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Headings written as # or ## would break the page's heading order: they come out as h3/h4.
  transformTags: { h1: 'h3', h2: 'h3', h3: 'h4', h4: 'h4', h5: 'h4', h6: 'h4', a: sanitizeHtml().simpleTransform('a', { rel: 'noopener noreferrer' }) },
}));
const rendered = new Map<string, string>();

/** A workflow author's markdown as safe HTML; rendered once per text. */
export function helpHtml(text: string): string {
  let html = rendered.get(text);
  if (html === undefined) {
    html = sanitizeHtml()(markdown().render(text), sanitizeOptions());
    if (rendered.size > 500) rendered.clear();
    rendered.set(text, html);
  }
  return html;
}

/**
 * The Help tab: the workflow's help, each step's help (the page shows the open step's, public/side-pane.js
 * follows the open card), and what Cardtrail's own actions mean.
 */
export function HelpPanel({ workflow, open }: { workflow: Workflow; open: Step | undefined }) {
  return (
    <div class="help">
      {workflow.help ? <div class="help-text">{raw(helpHtml(workflow.help))}</div> : null}
      {workflow.steps.map((step) => (
        <section class="step-help" data-help-step={step.id} hidden={open?.id !== step.id}>
          <h3>{step.title}</h3>
          {step.help ? <div class="help-text">{raw(helpHtml(step.help))}</div> : <p>{step.description ?? 'Fill in the fields and continue.'}</p>}
        </section>
      ))}
      <section class="help-actions">
        <h3>What the buttons do</h3>
        <dl>
          <dt>Edit</dt>
          <dd>Opens a done step again to change it. The steps after it open again too, pre-filled; what you typed is kept.</dd>
          <dt>Copy to a new session</dt>
          <dd>Starts a new session with the values up to that step. This session stays as it is.</dd>
          <dt>History</dt>
          <dd>Every value and change in order, with the time and where it came from. Nothing is ever erased.</dd>
          <dt>See the session as it was here</dt>
          <dd>Shows the cards as they were after one entry of the history, read-only.</dd>
          <dt>Finalize</dt>
          <dd>Locks every card when all steps are done. Unfinalize unlocks them.</dd>
        </dl>
      </section>
    </div>
  );
}
