import type { Step, Workflow } from '../app/engine/definition.ts';
import type { LogEvent } from '../app/log/events.ts';
import type { Milestone } from '../app/jobs/milestones.ts';
import { ActivityPanel } from './activity.tsx';
import { HelpPanel } from './help.tsx';

/**
 * Beside the cards (below them on a narrow screen): Help and Activity, as two tabs. Without JavaScript both
 * panels show one after the other; public/side-pane.js makes them tabs.
 */
export function SidePane(props: { sessionId: string; workflow: Workflow; open: Step | undefined; activity: readonly LogEvent[]; milestones: readonly Milestone[]; lastSeq: number }) {
  return (
    <aside class="side-pane" aria-label="Help and activity">
      <div class="pane-tabs" role="tablist" aria-label="Side pane" hidden>
        <button type="button" role="tab" id="tab-help" aria-controls="pane-help" aria-selected="true" class="outline">
          Help
        </button>
        <button type="button" role="tab" id="tab-activity" aria-controls="pane-activity" aria-selected="false" tabindex={-1} class="outline">
          Activity
        </button>
      </div>
      <section id="pane-help" class="pane-panel" aria-labelledby="heading-help">
        <h2 id="heading-help" class="pane-heading">Help</h2>
        <HelpPanel workflow={props.workflow} open={props.open} />
      </section>
      <section id="pane-activity" class="pane-panel" aria-labelledby="heading-activity">
        <h2 id="heading-activity" class="pane-heading">Activity</h2>
        <ActivityPanel sessionId={props.sessionId} events={props.activity} milestones={props.milestones} workflow={props.workflow} lastSeq={props.lastSeq} />
      </section>
    </aside>
  );
}
