import type { Step } from '../app/engine/definition.ts';
import type { OpenForm } from '../app/engine/sessions.ts';
import type { JobStatus, StepParams } from '../app/log/fold.ts';
import { JobEnding } from './job.tsx';
import { plain } from '../app/engine/progress.ts';
import { ActionButton, TrailForm } from './action.tsx';
import { FieldControl } from './fields.tsx';
import { formatValue } from './format.ts';
import { urls } from './urls.ts';

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

/** A completed step: its values, compact, with a way to reopen it unless the session is locked. */
export function DoneCard(props: { sessionId: string; step: Step; params: StepParams; at: Position; locked: boolean }) {
  const { step, params } = props;
  const values = plain(params);
  return (
    <article id={`card-${step.id}`} class="card done" data-step={step.id}>
      <header>
        <span class="done-mark" aria-hidden="true">
          ✓
        </span>{' '}
        <strong>{step.title}</strong>
        {props.locked ? null : <ActionButton action={urls.revert(props.sessionId, step.id)} label="Revert" />}
      </header>
      {step.summary ? (
        <p>{safeSummary(step, values)}</p>
      ) : (
        <dl>
          {labelled(step).map(([key, label]) => (
            <>
              <dt>{label}</dt>
              <dd data-key={key}>{formatValue(values[key])}</dd>
            </>
          ))}
        </dl>
      )}
    </article>
  );
}

/** The step waiting for input, as a form. */
export function OpenCard(props: { sessionId: string; form: OpenForm; at: Position; job?: JobStatus }) {
  const { step, raw, errors } = props.form;
  const last = props.at.index === props.at.count - 1;
  const label = props.job ? 'Retry' : step.run ? 'Run' : last ? 'Finish' : 'Continue';
  const count = Object.keys(errors).length;
  return (
    <article id={`card-${step.id}`} class="card open" data-current data-step={step.id}>
      <StepHeading step={step} at={props.at} />
      {step.description ? <p>{step.description}</p> : null}
      {props.job ? <JobEnding job={props.job} /> : null}
      {count ? (
        <p class="field-error" role="alert">
          {count === 1 ? 'One value needs attention.' : `${count} values need attention.`}
        </p>
      ) : null}
      <TrailForm action={urls.submit(props.sessionId, step.id)}>
        {step.fields.map((field) => (
          <FieldControl field={field} raw={raw} errors={errors} />
        ))}
        <button type="submit">{label}</button>
      </TrailForm>
    </article>
  );
}

/** A step not reached yet: its title only, so the person sees what lies ahead. */
export function PendingCard({ step, at }: { step: Step; at: Position }) {
  return (
    <article id={`card-${step.id}`} class="card pending" data-step={step.id}>
      <small>
        Step {at.index + 1} of {at.count}: {step.title}
      </small>
    </article>
  );
}

/** Shown when every step is done: finalize, or unfinalize when already locked. */
export function FinishCard({ sessionId, finalized }: { sessionId: string; finalized: boolean }) {
  return (
    <article id="card-finish" class={`card finish${finalized ? ' finalized' : ''}`} data-current={finalized ? undefined : ''}>
      {finalized ? (
        <>
          <p>
            <strong>Finalized.</strong> Every card is locked; unfinalize to change a step.
          </p>
          <ActionButton action={urls.unfinalize(sessionId)} label="Unfinalize" />
        </>
      ) : (
        <>
          <p>
            <strong>All steps are done.</strong> Finalize to lock the cards, or revert a step to change it.
          </p>
          <ActionButton action={urls.finalize(sessionId)} label="Finalize" class="primary" />
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
    return step.fields.map((f) => `${f.label}: ${formatValue(values[f.key])}`).join('; ');
  }
}
