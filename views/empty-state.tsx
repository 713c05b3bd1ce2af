import type { SessionFilter } from '../app/catalog/catalog.ts';

/**
 * What the session list says when it lists nothing: on a first run (no filter chosen) where to begin, and
 * where archived sessions are; otherwise that nothing matches the filter.
 */
export function EmptySessions({ filter }: { filter: SessionFilter }) {
  const chosen = Object.entries(filter).filter(([key, value]) => value !== undefined && value !== '' && !(key === 'status' && value === 'active') && key !== 'page');
  const unfiltered = chosen.length === 0;
  if (!unfiltered) return <p class="no-match">No sessions match.</p>;
  return (
    <article class="first-run">
      <p>
        <strong>No sessions yet.</strong> Start one of the workflows above, or choose one from <em>Start a workflow</em>{' '}
        at the top of any page. Every value you give is kept in a log on this machine, so you can stop and come back
        at any time.
      </p>
      <p>
        <a href="/?status=archived">Archived sessions</a> are listed apart.
      </p>
    </article>
  );
}
