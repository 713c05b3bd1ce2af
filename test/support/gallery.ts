import type { Page } from 'playwright-core';

/** Starts an Outputs gallery session in the browser and runs its job to the end; resolves with the session id. */
export async function generatedGallery(p: Page): Promise<string> {
  await p.goto('/');
  await p.getByRole('button', { name: 'Start Outputs gallery', exact: true }).click();
  await p.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
  await p.locator('#card-describe.open').getByRole('button', { name: 'Continue' }).click();
  await p.locator('#card-generate.open').getByRole('button', { name: 'Run' }).click();
  await p.locator('#card-generate.done').waitFor({ timeout: 30_000 });
  return new URL(p.url()).pathname.split('/')[2];
}
