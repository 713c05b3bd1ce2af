/** The shapes of the names a log carries, checked wherever a name comes from outside (a file, a URL, an author). */
import { nanoid } from 'nanoid';

const ID_SHAPE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const KEY_SHAPE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Names every plain object already answers to (`constructor`, `toString`, `__proto__`…). Steps and keys index
 * plain objects in the folded state, so such a name would read or write the prototype instead of a value.
 */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

/** Workflow and step ids: lowercase letters, digits and dashes. */
export function isId(name: unknown): name is string {
  return typeof name === 'string' && ID_SHAPE.test(name) && !inherited(name);
}

/** Field and value keys: letters, digits and _. */
export function isKey(name: unknown): name is string {
  return typeof name === 'string' && KEY_SHAPE.test(name) && !inherited(name);
}

/** A session id as nanoid makes it: the only shape of name that reaches a session's folder on disk. */
export const SESSION_ID = /^[A-Za-z0-9_-]{21}$/;

/**
 * A new session's id: nanoid's, but never one that begins with "-", which a command line would read as an
 * option (one id in 64 did). Ids made before this still work everywhere (see app/cli/resolve.ts).
 */
export function newSessionId(): string {
  for (;;) {
    const id = nanoid();
    if (!id.startsWith('-')) return id;
  }
}
