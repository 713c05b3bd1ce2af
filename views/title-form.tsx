import type { Workflow } from '../app/engine/definition.ts';
import type { SessionState } from '../app/log/fold.ts';
import { derivedTitle } from './title.ts';
import { urls } from './urls.ts';

/**
 * Where the session's name is changed; left empty, the name derived from its values comes back. That name
 * changes with the values: public/cardtrail.js keeps the hint and placeholder to the trail's `data-derived-title`.
 */
export function TitleForm({ id, workflow, state }: { id: string; workflow: Workflow; state: SessionState }) {
  const derived = derivedTitle({ workflow, state });
  return (
    <details class="rename">
      <summary>Rename this session</summary>
      <form method="post" action={urls.title(id)}>
        <label>
          Title <small>(leave empty for “<bdi id="derived-title">{derived}</bdi>”)</small>
          <input type="text" id="title-field" name="title" value={state.title ?? ''} placeholder={derived} maxlength={120} />
        </label>
        <button type="submit" class="secondary">
          Save the title
        </button>
      </form>
    </details>
  );
}
