import type { Workflow } from '../app/engine/definition.ts';
import type { SessionState } from '../app/log/fold.ts';
import { sessionTitle } from './title.ts';
import { urls } from './urls.ts';

/** Where the session's name is changed; left empty, the name derived from its values comes back. */
export function TitleForm({ id, workflow, state }: { id: string; workflow: Workflow; state: SessionState }) {
  const derived = sessionTitle({ workflow, state: { ...state, title: undefined } });
  return (
    <details class="rename">
      <summary>Rename this session</summary>
      <form method="post" action={urls.title(id)}>
        <label>
          Title <small>(leave empty for “<bdi>{derived}</bdi>”)</small>
          <input type="text" name="title" value={state.title ?? ''} placeholder={derived} maxlength={120} />
        </label>
        <button type="submit" class="secondary">
          Save the title
        </button>
      </form>
    </details>
  );
}
