import { createRequire } from 'node:module';

// Heavy libraries most requests never use (highlighting, markdown, sanitising, crawling, archives, uploads) are
// loaded the first time they are needed rather than when the server starts: a server that only lists sessions
// stays small. Their types stay static (`import type`), so the compiler still checks every use.

const requireHere = createRequire(import.meta.url);

/** `make()` run once, on the first call, and its value kept: a thing built only when first needed. */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/**
 * A package's CommonJS build, `require`d on the first call (synchronously, so sync call sites stay sync) and kept.
 * T is the package's type, named with `import type` by the caller. A package that is not installed throws, at
 * each call until it is, one sentence naming it (Node's own message lists file paths, not for a page).
 */
export function lazyRequire<T>(specifier: string): () => T {
  return once(() => {
    try {
      return requireHere(specifier) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') throw err;
      throw new Error(`the library ${specifier} is not installed (run npm install)`, { cause: err });
    }
  });
}
