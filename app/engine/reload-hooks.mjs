// Module hooks for hot reload (registered by workflow-reload.ts): a module imported by a workflow loaded with a
// ?cardtrail=<tag> URL gets the same tag when it lies in the workflows folder (helpers in workflows/lib/), so a
// reload evaluates the helpers afresh too instead of reusing the cached ones. Other modules are untouched.
let folder = '';

export function initialize(data) {
  folder = data.folder;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const tag = context.parentURL ? /[?&]cardtrail=([^&#]+)/.exec(context.parentURL)?.[1] : undefined;
  if (tag && resolved.url.startsWith(folder) && !resolved.url.includes('?')) return { ...resolved, url: `${resolved.url}?cardtrail=${tag}` };
  return resolved;
}
