import type { Loaded } from '../app/engine/sessions.ts';
import type { Timeline } from '../app/engine/history.ts';
import type { LogEvent } from '../app/log/events.ts';
import type { Field } from '../app/engine/definition.ts';
import { formatStamp, formatTime, formatValue } from './format.ts';
import { Layout } from './layout.tsx';
import { PageAction } from './page-action.tsx';
import { SessionHeader } from './session-header.tsx';
import { Trail } from './session.tsx';
import { urls } from './urls.ts';

const SOURCES: Record<string, string> = {
  user: 'typed by you',
  default: 'suggested default',
  fork: 'forked',
  import: 'imported',
  job: 'produced by a job',
};

/** One entry in words: what happened, to which step and field, with which value and where it came from. */
function Describe({ e, stepTitle, fieldOf }: { e: LogEvent; stepTitle: (id: string) => string; fieldOf?: (step: string, key: string) => Field | undefined }) {
  switch (e.type) {
    case 'param.set':
      return (
        <>
          <strong>{stepTitle(e.step)}</strong> · {e.key} = <span class="value">{formatValue(e.value, fieldOf?.(e.step, e.key))}</span>{' '}
          <small class="source">({SOURCES[e.source] ?? e.source})</small>
        </>
      );
    case 'note':
      return (
        <>
          Note{e.step ? <> on <strong>{stepTitle(e.step)}</strong></> : null}: <em>{e.text}</em>
        </>
      );
    case 'session.started':
      return <>Session started (workflow version {e.version})</>;
    case 'session.migrated':
      return <>Continued under workflow version {e.version}</>;
    case 'step.completed':
    case 'step.reverted':
      return (
        <>
          {e.type === 'step.completed' ? 'Completed' : 'Reverted (it and the steps after it reopened)'}{' '}
          <strong>{stepTitle(e.step)}</strong>
        </>
      );
    case 'job.started':
    case 'job.finished':
    case 'job.failed':
    case 'job.cancelled':
    case 'job.interrupted':
      return (
        <>
          {JOB_WORDS[e.type]} <strong>{stepTitle(e.step)}</strong>
          {e.error ? <>: {e.error}</> : null}
        </>
      );
    default:
      return <>{SESSION_WORDS[e.type]}</>;
  }
}

const JOB_WORDS: Record<string, string> = {
  'job.started': 'Job started in',
  'job.finished': 'Job finished in',
  'job.failed': 'Job failed in',
  'job.cancelled': 'Job cancelled in',
  'job.interrupted': 'Job interrupted in',
};

const SESSION_WORDS: Record<string, string> = {
  'session.finalized': 'Finalized',
  'session.unfinalized': 'Unfinalized',
  'session.archived': 'Archived',
  'session.unarchived': 'Unarchived',
};

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
    <Layout title={`History · ${workflow.title}`}>
      <SessionHeader session={session} />
      <h2>History</h2>
      <Integrity timeline={timeline} />
      <p>
        <a href={urls.session(id)}>Back to the present</a>
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
              <th></th>
            </tr>
          </thead>
          <tbody>
            {timeline.events.map((e, index) => (
              <tr data-seq={e.seq} data-type={e.type}>
                <td>{e.seq}</td>
                <td class="stamp" title={e.at}>
                  {formatStamp(e.at, true)}
                </td>
                <td>
                  <Describe e={e} stepTitle={title} fieldOf={(step, key) => workflow.steps.find((s) => s.id === step)?.fields.find((f) => f.key === key)} />
                </td>
                <td>
                  <a href={urls.at(id, writeEnd(timeline.events, index))}>View as of here</a>
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
    <Layout title={`Past · ${session.workflow.title}`}>
      <SessionHeader session={session} past />
      <article class="banner past" role="status">
        <p>
          <strong>Viewing the past:</strong> the session as it was after entry {event.seq} ({formatTime(event.at)}).
          Nothing here can be changed.
        </p>
        <a href={urls.session(id)} role="button">
          Back to the present
        </a>{' '}
        <a href={urls.history(id)} role="button" class="secondary outline">
          History
        </a>{' '}
        <PageAction action={urls.fork(id)} fields={{ seq: event.seq }} label="Fork from this point" />
      </article>
      <Trail session={session} form={undefined} past />
    </Layout>
  );
}
