// What a session is called and what it holds, in words: pure functions the catalog's rows use too.
import { sessionTitle } from '../app/engine/title.ts';
export { sessionTitle, valuePreview } from '../app/engine/title.ts';

/** What the session is called when no title is given: from its workflow and values alone. */
export function derivedTitle(session: Parameters<typeof sessionTitle>[0]): string {
  return sessionTitle({ ...session, state: { ...session.state, title: undefined } });
}
