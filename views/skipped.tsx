import type { Step } from '../app/engine/definition.ts';

/** A step its condition skips: one thin line saying so, and why. */
export function SkippedCard({ step, reason }: { step: Step; reason: string }) {
  return (
    <article id={`card-${step.id}`} class="card skipped" data-step={step.id} data-skipped="">
      <small>
        <s>{step.title}</s> — skipped: {reason}
      </small>
    </article>
  );
}
