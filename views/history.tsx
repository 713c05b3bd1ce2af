import type { Loaded } from '../app/engine/sessions.ts';
import type { Timeline } from '../app/engine/history.ts';
import type { LogEvent, Source } from '../app/log/events.ts';
import type { Workflow } from '../app/engine/definition.ts';
import { EVENT_TABLE, type Phrase } from '../app/log/event-table.ts';
import { displayValue, fieldOf, labelOf } from './display.ts';
import { formatStamp, formatTime } from './format.ts';
import { Layout } from './layout.tsx';
import { PageAction } from './page-action.tsx';
import { SessionHeader } from './session-header.tsx';
import { Trail } from './session.tsx';
import { urls } from './urls.ts';
import { sessionTitle } from './title.ts';

const SOURCES: Record<Source, string> = {
  user: 'typed by you',
  default: 'suggested default',
  fork: 'copied',
  import: 'imported',
  job: 'produced by a job',
};

/** One entry in words, as its type's entry in the event table says it: steps by title, fields by label. */
export function Describe({ e, stepTitle, workflow }: { e: LogEvent; stepTitle: (id: string) => string; workflow: Workflow }) {
  const words = EVENT_TABLE[e.type].words as (e: LogEvent) => Phrase;
  const stepOf = (id: string) => workflow.steps.find((s) => s.id === id);
  return (
    <>
      {words(e).map((piece) =>
        typeof piece === 'string' ? (
          piece
        ) : 'value' in piece ? (
          <span class="value" dir="auto">{piece.of ? displayValue(fieldOf(stepOf(piece.of.step), piece.of.key), piece.value) : displayValue(undefined, piece.value)}</span>
        ) : 'label' in piece ? (
          labelOf(workflow, piece.label.step, piece.label.key)
        ) : 'step' in piece ? (
          <strong>{stepTitle(piece.step)}</strong>
        ) : 'source' in piece ? (
          <small class="source">({SOURCES[piece.source]})</small>
        ) : 'given' in piece ? (
          <bdi>{piece.given}</bdi>
        ) : (
          <em dir="auto">{piece.note}</em>
        ),
      )}
      {e.type === 'param.set' && e.meta && 'given' in e.meta ? (
        <small class="given"> · the file had {JSON.stringify(e.meta.given).slice(0, 200)}</small>
      ) : null}
      {e.type === 'session.started' ? <ImportChanges changes={e.meta?.import} /> : null}
    </>
  );
}


/** What an import changed or left out, as listed in its first line (app/engine/import-plan.ts). */
function ImportChanges({ changes }: { changes: unknown }) {
  if (!Array.isArray(changes) || !changes.length) return null;
  return (
    <>
      {' '}
      from an import, which changed this:
      <ul class="import-changes">
        {changes.map((line) => (
          <li>{String(line)}</li>
        ))}
      </ul>
    </>
  );
}

/**
 * The entry a row's "View as of here" opens: the last of the lines written together with it (a submit writes
 * its values and the completion at once), since only the state after a whole write ever existed for the person.
 */
function writeEnd(events: readonly LogEvent[], index: number): number {
  let end = index;
  while (end + 1 < events.length && events[end + 1].at === events[index].at) end++;
  return events[end].seq;
}

/** Whether the log can be trusted: its hash chain, and whether lines once seen are gone from its end. */
function Integrity({ timeline }: { timeline: Timeline }) {
  const { verdict, total, missing } = timeline;
  if (!verdict.ok && verdict.unknown)
    return (
      <p class="integrity bad notice" role="alert">
        ? The log goes on past what this version of Cardtrail can read: {verdict.reason}. The entries before it are
        listed here; the rest are kept in the file as they are.
      </p>
    );
  if (!verdict.ok)
    return (
      <p class="integrity bad notice" role="alert">
        ✗ The log cannot be trusted as it is: {verdict.reason}.
      </p>
    );
  if (missing)
    return (
      <p class="integrity bad notice" role="alert">
        ✗ Entries are missing from the end of the log: it ends at entry {total}, but entry {total + missing} was seen
        before. (The hash chain cannot show lines cut from the end; the catalog remembered them.)
      </p>
    );
  return <p class="integrity ok">✓ Log intact: {total} entries, every line's hash matches the chain.</p>;
}

/** The timeline: every entry in order, whether the chain is intact, and a way to see the session at any entry. */
export function HistoryPage({ session, timeline }: { session: Loaded; timeline: Timeline }) {
  const { id, workflow } = session;
  const title = (step: string) => workflow.steps.find((s) => s.id === step)?.title ?? step;
  return (
    <Layout title={`History · ${sessionTitle(session)}`}>
      <SessionHeader session={session} />
      <h2>History</h2>
      <Integrity timeline={timeline} />
      <p>
        <a href={urls.session(id)}>Back to the session</a>
        {timeline.before ? (
          <>
            {' '}
            · <a href={urls.history(id, timeline.before)}>Older entries</a>
          </>
        ) : null}
      </p>
      <div class="overflow-auto">
        <table id="timeline" class="striped">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Entry</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {timeline.events.map((e, index) => (
              <tr data-seq={e.seq} data-type={e.type}>
                <td id={`e-${e.seq}`}>{e.seq}</td>
                <td class="stamp" title={e.at} data-label="Time">
                  {formatStamp(e.at, true)}
                </td>
                <td>
                  <Describe e={e} stepTitle={title} workflow={workflow} />
                </td>
                <td>
                  <a href={urls.at(id, writeEnd(timeline.events, index))}>See the session as it was here</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** The session as it was right after one entry: read-only, clearly marked as the past. */
export function PastPage({ session, event }: { session: Loaded; event: LogEvent }) {
  const { id } = session;
  return (
    <Layout title={`As it was at entry ${event.seq} · ${sessionTitle(session)}`}>
      <SessionHeader session={session} past />
      <article class="banner past">
        <p>
          <strong>Viewing the past:</strong> the session as it was after entry {event.seq} ({formatTime(event.at)}).
          Nothing here can be changed.
          {session.files.any() ? ' Files the steps wrote are shown as they are now: the log keeps values, not earlier copies of files.' : ''}
        </p>
        <a href={urls.session(id)} role="button">
          Back to the session now
        </a>{' '}
        <a href={urls.history(id)} role="button" class="secondary outline">
          History
        </a>{' '}
        <PageAction action={urls.fork(id)} fields={{ seq: event.seq }} label="Copy to a new session from here" />
      </article>
      <Trail session={session} form={undefined} past />
    </Layout>
  );
}
