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
    search: joinUpTo([title ?? '', workflow?.title ?? state.workflow, step ?? ''], searchedParts(state), SEARCH_CHARS),
  };
}

/** How much of a session the search reads: its first values and notes up to this many characters. */
const SEARCH_CHARS = 20_000;

/** The values' words, then the notes, one at a time: a session with 100,000 notes is read only up to the limit. */
function* searchedParts(state: SessionState): Generator<string> {
  for (const params of Object.values(state.values)) for (const p of Object.values(params)) yield words(p.value);
  for (const list of Object.values(state.notes)) for (const n of list) yield n.text;
}

/** `first` then `rest`, one per line, cut at `limit` characters; `rest` is not read past the limit. */
function joinUpTo(first: readonly string[], rest: Iterable<string>, limit: number): string {
  let text = first.join('\n');
  for (const part of rest) {
    if (text.length >= limit) break;
    text += `\n${part}`;
  }
  return text.slice(0, limit);
}

/** A value's words as one line of text. */
function words(value: Json): string {
  if (value === null) return '';
  if (typeof value !== 'object') return String(value);
  return (Array.isArray(value) ? value : Object.values(value)).map(words).join(' ');
}
