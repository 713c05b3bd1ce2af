import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './server-process.ts';

const AXE = join(REPO_ROOT, 'node_modules/axe-core/axe.min.js');

declare global {
  interface Window {
    axe?: { run: (context: Document | string, options: object) => Promise<{ violations: AxeViolation[] }> };
  }
}
type AxeViolation = { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] };

/** The colour schemes every page state is checked in. */
export const SCHEMES = ['light', 'dark'] as const;

/**
 * axe-core's violations on the page as it is now, in light and in dark, one line each ("where (dark): rule: help
 * at selector"). Only what axe itself finds; nothing is left out. With `within` (a CSS selector), only the
 * elements it matches and what they hold are checked.
 */
export async function axeViolations(page: Page, where: string, within?: string): Promise<string[]> {
  const found: string[] = [];
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ path: AXE });
    // Pico eases colours over 0.2 s: without this, axe would measure a colour halfway between the schemes.
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  }
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(
      async (part) => (await window.axe!.run(part ?? document, { resultTypes: ['violations'] })).violations,
      within,
    );
    for (const v of violations)
      for (const node of v.nodes) found.push(`${where} (${scheme}): ${v.id}: ${v.help} at ${node.target.join(' ')} — ${node.failureSummary ?? ''}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
