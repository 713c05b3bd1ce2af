import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** What has keyboard focus, short enough for a failure message. */
export function focusedHtml(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? 'nothing');
}

/** Waits until focus is on an element matching `selector`; the failure says where it is instead. */
export async function expectFocus(page: Page, selector: string, why: string): Promise<void> {
  try {
    await page.waitForFunction((sel) => document.activeElement?.matches(sel) ?? false, selector, { timeout: 4_000 });
  } catch {
    assert.fail(`${why}: expected focus on ${selector}, but it is on ${await focusedHtml(page)}`);
  }
}

/**
 * Presses Tab until focus is on `selector` (whose text, when given, is `text`) and returns how many presses that
 * took; fails after `max`.
 */
export async function tabTo(page: Page, selector: string, max = 40, text?: string): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    const there = await page.evaluate(
      ([sel, want]) => Boolean(document.activeElement?.matches(sel!) && (!want || document.activeElement.textContent?.trim() === want)),
      [selector, text] as const,
    );
    if (there) return n;
  }
  assert.fail(`${max} Tabs did not reach ${selector}${text ? ` "${text}"` : ''}; focus is on ${await focusedHtml(page)}`);
}

/**
 * The focused element's ring: its outline's width and the contrast of its colour against the background it
 * is drawn on (the nearest opaque background up the tree), as WCAG's relative luminance ratio.
 */
export function focusRing(page: Page): Promise<{ what: string; width: number; contrast: number }> {
  // A string, not a function: the test's TypeScript is compiled with helpers the page does not have.
  return page.evaluate(FOCUS_RING);
}

const FOCUS_RING = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let bg = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.9)) { bg = c; break; }
  }
  const ring = rgb(style.outlineColor);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  // A see-through ring is no ring.
  const width = style.outlineStyle === 'none' || (ring.length > 3 && ring[3] < 0.9) ? 0 : parseFloat(style.outlineWidth);
  return { what: el.outerHTML.slice(0, 120), width, contrast: (a + 0.05) / (b + 0.05) };
})()`;

/** Fails unless the focused control shows a ring at least 2 px wide with 3:1 contrast to what is around it. */
export async function assertRing(page: Page, where: string): Promise<void> {
  const ring = await focusRing(page);
  assert.ok(ring.width >= 2 && ring.contrast >= 3, `${where}: the focus ring of ${ring.what} is ${ring.width}px at ${ring.contrast.toFixed(2)}:1`);
}
