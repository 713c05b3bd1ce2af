import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';

/** A workflow as the header's menu offers it. */
export type MenuItem = { id: string; title: string };

const current = new AsyncLocalStorage<readonly MenuItem[]>();

/**
 * Makes the installed workflows known to every page rendered while a request is handled, so the header's menu
 * lists them without each route passing them down (and each app, in tests, its own).
 */
export function menuOf(items: readonly MenuItem[]): MiddlewareHandler {
  const list = items.map(({ id, title }) => ({ id, title }));
  return (_c, next) => current.run(list, next);
}

/** The workflows of the app handling the request being rendered (none outside a request). */
export function menuItems(): readonly MenuItem[] {
  return current.getStore() ?? [];
}
