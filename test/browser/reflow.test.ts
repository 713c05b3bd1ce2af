// WCAG reflow: at 320 CSS px a session with output files (the gallery), its history and a past entry's page
// never scroll sideways, and every control (the files' download among them) stays on screen.
import { describe, test } from 'node:test';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';
import { generatedGallery } from '../support/gallery.ts';
import { assertAllOnScreen } from '../support/on-screen.ts';

let ui: BrowserSuite;
const WIDTH = 320;

describe('browser: 320 px reflow of pages with files', { timeout: 90_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-reflow-', viewport: { width: WIDTH, height: 640 } });

  test('a gallery session with its files, its history and the past fit 320 px', async () => {
    const p = ui.page;
    await generatedGallery(p);
    await p.reload();
    await p.getByRole('link', { name: 'Download files (.tar)' }).waitFor();
    await assertAllOnScreen(p, WIDTH, 'the session with files');
    await p.getByRole('link', { name: 'History' }).click();
    await p.locator('#timeline').waitFor();
    await assertAllOnScreen(p, WIDTH, 'its history');
    await p.locator('#timeline tr[data-seq="2"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await p.locator('.banner.past').waitFor();
    await assertAllOnScreen(p, WIDTH, 'the past');
  });
});
