import type { SessionRow } from '../app/catalog/catalog.ts';
import { formatStamp } from './format.ts';
import { PageAction } from './page-action.tsx';
import { SessionDetails } from './session-details.tsx';
import { urls } from './urls.ts';

type Props = { session: SessionRow; workflowTitle: string };

/** One row of the home page's sessions table. */
function Row({ session: s, workflowTitle }: Props) {
  return (
    <tr data-session={s.id}>
      <td>
        {/* dir="auto" isolates the name, so bidi controls in it cannot reorder the rest of the row. */}
        <a href={urls.session(s.id)} title="Resume this session" dir="auto">
          {s.title ?? workflowTitle}
        </a>
        <SessionDetails preview={s.preview} id={s.id} />
      </td>
      <td class="stamp" data-label="Started">{formatStamp(s.startedAt)}</td>
      <td class="stamp" data-label="Last change">{formatStamp(s.updatedAt)}</td>
      <td data-label="Current step">{s.currentStep ?? 'All done'}</td>
      <td data-label="Status">{[s.finalized ? 'Finalized' : 'Open', s.archived ? 'archived' : ''].filter(Boolean).join(', ')}</td>
      <td class="row-actions">
        <PageAction action={s.archived ? urls.unarchive(s.id) : urls.archive(s.id)} fields={{ back: 'home' }} label={s.archived ? 'Unarchive' : 'Archive'} />{' '}
        <a href={urls.remove(s.id)} class="secondary">
          Delete…
        </a>
      </td>
    </tr>
  );
}

// The home page draws the same rows on every view, and drawing one costs Hono's JSX some 25 µs (100 rows were
// about half the page's time at 10,000 sessions). A row is a pure function of what it shows, so its HTML is kept
// (as the UTF-8 bytes the page is sent as) with exactly that, and drawn again only when any of it changed.
type Drawn = { shown: readonly unknown[]; bytes: Buffer };
const drawn = new Map<string, Drawn>();
const KEPT_ROWS = 2_000;

/** Everything a row shows: a row whose every item is the same draws the same HTML. */
const shownBy = ({ session: s, workflowTitle }: Props): readonly unknown[] => [
  s.title,
  workflowTitle,
  s.preview,
  s.startedAt,
  s.updatedAt,
  s.currentStep,
  s.finalized,
  s.archived,
];

/** A row's HTML as UTF-8, drawn once for what it shows and then reused (at most KEPT_ROWS rows, the oldest dropped). */
export function sessionRowBytes(props: Props): Buffer {
  const shown = shownBy(props);
  const known = drawn.get(props.session.id);
  if (known && known.shown.every((item, i) => item === shown[i])) return known.bytes;
  const bytes = Buffer.from(String(<Row {...props} />));
  drawn.delete(props.session.id);
  if (drawn.size >= KEPT_ROWS) drawn.delete(drawn.keys().next().value!);
  drawn.set(props.session.id, { shown, bytes });
  return bytes;
}
