import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** The visible controls whose box reaches outside the viewport's width, and the page's sideways overflow. */
async function offScreen(page: Page): Promise<{ outside: string[]; scrollWidth: number; controls: number }> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')].filter((el) => {
      if (el.closest('.visually-hidden') || el.classList.contains('skip-link')) return false;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden';
    });
    const outside = controls
      .filter((el) => { const r = el.getBoundingClientRect(); return r.left < -0.5 || r.right > width + 0.5; })
      .map((el) => { const r = el.getBoundingClientRect(); return el.outerHTML.slice(0, 90) + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ']'; });
    return { outside, scrollWidth: document.documentElement.scrollWidth, controls: controls.length };
  })()`);
}

/** Asserts that every visible control of the page is within `width` px and that the page does not scroll sideways. */
export async function assertAllOnScreen(page: Page, width: number, where: string): Promise<void> {
  const { outside, scrollWidth, controls } = await offScreen(page);
  assert.ok(controls >= 3, `${where}: only ${controls} controls found`);
  assert.deepEqual(outside, [], `${where}: controls outside the ${width} px viewport:\n${outside.join('\n')}`);
  assert.ok(scrollWidth <= width, `${where}: the page is ${scrollWidth} px wide`);
}
