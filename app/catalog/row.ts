import type { LoadedWorkflow } from '../engine/discover.ts';
import { currentStep } from '../engine/progress.ts';
import { sessionTitle, valuePreview } from '../engine/title.ts';
import type { Json } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';

/** One session as the home page lists it; every column is derived from the session's log. */
export type SessionRow = {
  id: string;
  workflow: string;
  startedAt: string;
  updatedAt: string;
  /** Title of the step waiting for input, or null when every step is done. */
  currentStep: string | null;
  /** What the session is called: the name a person gave it, else derived from its values; null when neither is known
   * (no name given and its workflow is not installed: the list shows the workflow's id). */
  title: string | null;
  /** The first values of its done steps by their labels, shortened ("" when none, or the workflow is missing). */
  preview: string;
  finalized: boolean;
  archived: boolean;
  lastSeq: number;
  /** Bytes of the log when the row was made: a different size on disk means the row is stale. */
  logSize: number;
};

/** A row and the text a search looks in: the session's title, its workflow's, the current step, the values and the notes. */
export type IndexedRow = SessionRow & { search: string };

/** The catalog row of a folded session (the workflow, when installed, gives titles). */
export function sessionRow(id: string, state: SessionState, workflow: LoadedWorkflow | undefined, logSize: number): IndexedRow {
  const step = workflow ? (currentStep(workflow, state)?.title ?? null) : null;
  const title = workflow ? sessionTitle({ workflow, state }) : (state.title ?? null);
  return {
    id,
    workflow: state.workflow,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    currentStep: step,
    title,
    preview: workflow ? valuePreview({ workflow, state }) : '',
    finalized: state.finalized,
    archived: state.archived,
    lastSeq: state.lastSeq,
    logSize,
    search: searchText([title ?? '', workflow?.title ?? state.workflow, step ?? ''].join('\n'), state),
  };
}

/** How much of a session the search reads: its first values and notes up to this many characters. */
const SEARCH_CHARS = 20_000;

/**
 * `first`, then the values' words and the notes, one per line, cut at SEARCH_CHARS characters: a session with
 * 100,000 notes is read only up to the limit.
 */
function searchText(first: string, state: SessionState): string {
  let text = first;
  for (const params of Object.values(state.values))
    for (const param of Object.values(params)) {
      if (text.length >= SEARCH_CHARS) return text.slice(0, SEARCH_CHARS);
      text += `\n${words(param.value)}`;
    }
  for (const list of Object.values(state.notes))
    for (const note of list) {
      if (text.length >= SEARCH_CHARS) return text.slice(0, SEARCH_CHARS);
      text += `\n${note.text}`;
    }
  return text.length > SEARCH_CHARS ? text.slice(0, SEARCH_CHARS) : text;
}

/**
 * A value's words as one line of text, in order. Walked with a stack of its own rather than by recursion, so a
 * value nested however deeply (a log written by hand, an import) is read rather than running out of stack.
 */
export function words(value: Json): string {
  const out: string[] = [];
  const todo: Json[] = [value];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (next === null) out.push('');
    else if (typeof next !== 'object') out.push(String(next));
    else {
      const items = Array.isArray(next) ? next : Object.values(next);
      for (let k = items.length - 1; k >= 0; k--) todo.push(items[k]);
    }
  }
  return out.join(' ');
}
