/** Under a listed session's title: a preview of its values, and its id, so similar sessions can be told apart. */
export function SessionDetails({ preview, id }: { preview: string; id: string }) {
  return (
    <>
      {preview ? <small class="preview">{preview}</small> : null}
      <small class="session-id">
        <code>{id}</code>
      </small>
    </>
  );
}
