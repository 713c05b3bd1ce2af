/**
 * A button that posts a plain form and lets the browser follow the redirect to a whole new page: for actions
 * that leave the trail (fork, archive, continue under a new definition), where swapping a fragment is wrong.
 */
export function PageAction(props: { action: string; label: string; fields?: Record<string, string | number | undefined>; class?: string; detail?: string }) {
  return (
    <form method="post" action={props.action} class="inline-action">
      {Object.entries(props.fields ?? {}).map(([name, value]) =>
        value === undefined ? null : <input type="hidden" name={name} value={String(value)} />,
      )}
      <button type="submit" class={props.class ?? 'secondary outline'}>
        {props.label}
        {props.detail ? <span class="visually-hidden"> {props.detail}</span> : null}
      </button>
    </form>
  );
}
