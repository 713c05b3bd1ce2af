import type { Integrity } from '../app/log/line-index.ts';
import { urls } from './urls.ts';

/**
 * The session page's word on its log's hash chain: a warning when the log does not verify (a line edited by
 * hand, say), nothing when it does. When neither is known yet (no line index matches the file), the page is not
 * held up to read the whole log: a placeholder asks for the verdict once the page is shown, and the answer (the
 * same check the History page makes, remembered for the file as it is) replaces it.
 */
export function IntegrityNotice({ id, integrity }: { id: string; integrity: Integrity | 'ask' }) {
  if (integrity === 'ask') return <div id="integrity" hx-get={urls.integrity(id)} hx-trigger="load" hx-swap="outerHTML"></div>;
  if (integrity.ok) return <div id="integrity"></div>;
  return (
    <article id="integrity" class="banner warning" role="alert">
      <p>
        <strong>This log does not verify:</strong> {integrity.reason}. The cards show the log as it reads now, which
        may not be what was recorded. See its <a href={urls.history(id)}>history</a>, where every entry is listed as
        it is.
      </p>
    </article>
  );
}
