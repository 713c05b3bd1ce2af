/** Escapes text for HTML (for strings that go through raw()). Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The attributes of a block that may be wider than its card (code, a diagram's source): focusable, so the
 * keyboard can scroll it (the page's focus ring for [tabindex] shows it), and a named group, so a screen reader
 * says what got the focus. Pure.
 */
export function scrollable(name: string) {
  return { tabindex: 0, role: 'group', 'aria-label': name };
}

/** "1,234,567" for numbers, the text itself for anything else. Pure. */
export function formatNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toLocaleString('en') : String(value ?? '');
}

/** "1.4 MB". Pure. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let n = bytes / 1024;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}
