import { plainText } from '../app/fields/unprintable.ts';

/**
 * Under a listed session's title: a preview of its values, and its id, so similar sessions can be told apart.
 * The preview runs several values together, so it is shown without controls or bidi controls, which would
 * reorder the values and labels after them ("Name: \u202Eevil" would read "Name: live" and turn what follows).
 */
export function SessionDetails({ preview, id }: { preview: string; id: string }) {
  return (
    <>
      {preview ? <small class="preview">{plainText(preview)}</small> : null}
      <small class="session-id">
        <code>{id}</code>
      </small>
    </>
  );
}
