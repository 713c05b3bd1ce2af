import { TrailForm } from './action.tsx';
import { formatTime } from './format.ts';
import { urls } from './urls.ts';

type NoteItem = { text: string; at: string; seq: number };

/** The notes attached to a step, oldest first, and (unless read-only) a small form to add one. */
export function Notes(props: { sessionId: string; step: string; notes: readonly NoteItem[] | undefined; readOnly?: boolean }) {
  const notes = props.notes ?? [];
  return (
    <div class="notes">
      {notes.length ? (
        <ul>
          {notes.map((n) => (
            <li data-seq={n.seq}>
              <small>{formatTime(n.at)}</small> <bdi>{n.text}</bdi>
            </li>
          ))}
        </ul>
      ) : null}
      {props.readOnly ? null : (
        <details>
          <summary>Add a note</summary>
          <TrailForm action={urls.notes(props.sessionId)}>
            <input type="hidden" name="step" value={props.step} />
            <label>
              Note
              <textarea name="text" rows={2} maxlength={2000} placeholder="Why this value, what to remember" />
            </label>
            <button type="submit" class="secondary">
              Save note
            </button>
          </TrailForm>
        </details>
      )}
    </div>
  );
}
