import type { Step } from '../app/engine/definition.ts';
import type { OpenForm } from '../app/engine/sessions.ts';
import type { JobStatus, StepParams } from '../app/log/fold.ts';
import { JobEnding } from './job.tsx';
import { Notes } from './notes.tsx';
import { PageAction } from './page-action.tsx';

type NoteItems = readonly { text: string; at: string; seq: number }[];
import { plain } from '../app/engine/progress.ts';
import { ActionButton, TrailForm } from './action.tsx';
import { FieldControl } from './fields.tsx';
import { hasKind } from '../app/fields/paths.ts';
import { formatValue } from './format.ts';
import { urls } from './urls.ts';
import { displayValue } from './display.ts';
import { SuggestionOffer } from './suggestion.tsx';
import type { Offer } from '../app/engine/suggestions.ts';
import { StepOutputs, type OutputsContext } from '../app/widgets/outputs.tsx';

export type Position = { index: number; count: number };

/** "Step 2 of 5". */
export function positionText(at: Position): string {
  return `Step ${at.index + 1} of ${at.count}`;
}

function StepHeading({ step, at }: { step: Step; at: Position }) {
  return (
    <hgroup>
      <h2>{step.title}</h2>
      <p>{positionText(at)}</p>
    </hgroup>
  );
}

/** How much a card lets one do: everything, everything but change values (finalized), or nothing (the past). */
export type CardMode = 'live' | 'locked' | 'past';

/** A completed step: its values, compact, with ways to reopen it, fork from it and note on it. */
export function DoneCard(props: { sessionId: string; step: Step; params: StepParams; at: Position; mode: CardMode; notes?: NoteItems; reopens?: string[]; seq?: number; outputs?: OutputsContext }) {
  const { step, params, mode } = props;
  const values = plain(params);
  return (
    <article id={`card-${step.id}`} class="card done" data-step={step.id}>
      <header>
        <span class="done-mark" aria-hidden="true">
          ✓
        </span>{' '}
        <h2 class="card-title">{step.title}</h2>
        <span class="card-actions">
          {mode === 'past' ? null : (
            <PageAction action={urls.fork(props.sessionId)} fields={{ step: step.id }} label="Copy to a new session" detail={`up to ${step.title}`} />
          )}
          {mode === 'live' ? (
            <ActionButton action={urls.revert(props.sessionId, step.id)} label="Edit" detail={step.title} describedBy={props.reopens?.length ? `reopens-${step.id}` : undefined} seq={props.seq} />
          ) : null}
        </span>
      </header>
      {mode === 'live' && props.reopens?.length ? (
        <p class="reopens" id={`reopens-${step.id}`}>
          <small>Editing this step reopens {props.reopens.join(', ')} too.</small>
        </p>
      ) : null}
      {step.show && props.outputs ? (
        <StepOutputs session={props.sessionId} step={step} context={props.outputs} />
      ) : step.summary ? (
        <p>{safeSummary(step, values)}</p>
      ) : (
        <dl>
          {labelled(step).map(([key, label]) => (
            <>
              <dt>{label}</dt>
              <dd data-key={key}>{displayValue(step.fields.find((f) => f.key === key), values[key])}</dd>
            </>
          ))}
        </dl>
      )}
      <Notes sessionId={props.sessionId} step={step.id} notes={props.notes} readOnly={mode === 'past'} />
    </article>
  );
}

/** The step waiting for input, as a form. */
export function OpenCard(props: { sessionId: string; form: OpenForm; at: Position; job?: JobStatus; notes?: NoteItems; offers?: Offer[]; seq?: number }) {
  const { step, raw, errors } = props.form;
  const last = props.at.index === props.at.count - 1;
  const label = props.job ? 'Retry' : step.run ? 'Run' : last ? 'Finish' : 'Continue';
  const count = Object.keys(errors).length;
  // Messages about the step as a whole (its own check, what its job needs) belong to no field: said here.
  const ofStep = Object.entries(errors).filter(([path]) => !step.fields.some((f) => f.key === path.split('.')[0]));
  return (
    <article id={`card-${step.id}`} class="card open" data-current data-step={step.id}>
      <StepHeading step={step} at={props.at} />
      {step.description ? <p>{step.description}</p> : null}
      {props.job ? <JobEnding job={props.job} /> : null}
      {count ? (
        <p class="field-error" role="alert">
          {count === 1 ? 'One value needs attention.' : `${count} values need attention.`}
          {ofStep.map(([, message]) => ` ${message}`)}
        </p>
      ) : null}
      <TrailForm action={urls.submit(props.sessionId, step.id)} seq={props.seq} enctype={hasKind(step.fields, 'file') ? 'multipart/form-data' : undefined}>
        {step.fields.map((field) => (
          <>
            <FieldControl field={field} raw={raw} errors={errors} values={props.form.values} action={urls.submit(props.sessionId, step.id)} />
            {props.offers?.filter((o) => o.key === field.key).map((offer) => <SuggestionOffer offer={offer} label={field.label} />)}
          </>
        ))}
        <button type="submit">{label}</button>
      </TrailForm>
      <Notes sessionId={props.sessionId} step={step.id} notes={props.notes} />
    </article>
  );
}

/** A step not reached yet (or, in the past, the one that was waiting): its title only. */
export function PendingCard({ step, at, waiting }: { step: Step; at: Position; waiting?: boolean }) {
  return (
    <article id={`card-${step.id}`} class="card pending" data-step={step.id}>
      <small>
        {positionText(at)}: {step.title}
        {waiting ? ' (waiting for input at this point)' : ''}
      </small>
    </article>
  );
}

/** Shown when every step is done: finalize, or unfinalize when locked; and run again with the same inputs. */
export function FinishCard({ sessionId, finalized, mode, seq }: { sessionId: string; finalized: boolean; mode: CardMode; seq?: number }) {
  if (mode === 'past')
    return (
      <article id="card-finish" class="card finish">
        <p>Every step was done at this point{finalized ? ', and the session was finalized' : ''}.</p>
      </article>
    );
  const again = <PageAction action={urls.fork(sessionId)} label="Copy to a new session" detail="with every value" />;
  return (
    <article id="card-finish" class={`card finish${finalized ? ' finalized' : ''}`} data-current={finalized ? undefined : ''}>
      {finalized ? (
        <>
          <p>
            <strong>Finalized.</strong> Every card is locked; unfinalize to change a step again.
          </p>
          <ActionButton action={urls.unfinalize(sessionId)} label="Unfinalize" /> {again}
        </>
      ) : (
        <>
          <p>
            <strong>All steps are done.</strong> Finalize to lock the cards, or edit a step to change it.
          </p>
          <ActionButton action={urls.finalize(sessionId)} label="Finalize" class="primary" seq={seq} /> {again}
        </>
      )}
    </article>
  );
}

/** The keys a done card lists, with their labels: the fields, then what the step's job returned. */
function labelled(step: Step): [string, string][] {
  return [...step.fields.map((f): [string, string] => [f.key, f.label]), ...Object.entries(step.results ?? {})];
}

function safeSummary(step: Step, values: Parameters<NonNullable<Step['summary']>>[0]): string {
  try {
    return step.summary!(values);
  } catch {
    return step.fields.map((f) => `${f.label}: ${formatValue(values[f.key], f)}`).join('; ');
  }
}
