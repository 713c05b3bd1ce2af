import type { SessionLabel } from './title.ts';

/** Under a listed session's title: a preview of its values, and its id, so similar sessions can be told apart. */
export function SessionDetails({ label, id }: { label: SessionLabel | undefined; id: string }) {
  return (
    <>
      {label?.preview ? <small class="preview">{label.preview}</small> : null}
      <small class="session-id">
        <code>{id}</code>
      </small>
    </>
  );
}
