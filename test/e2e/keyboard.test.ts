/**
 * Sliders are keyboard-operable: arrow keys step once, shift + arrow ten steps; the number field beside the slider
 * and the clustering follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, openApp, waitForClusters, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('keyboard', () => {
  it('arrow keys step n_clusters by one, shift + arrow by ten, and the clustering follows', async () => {
    const page = await openApp(app);
    const slider = page.getByLabel('n_clusters', { exact: true });
    const field = page.getByLabel('n_clusters value');
    expect(await field.inputValue()).toBe('4');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => field.inputValue()).toBe('5');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => field.inputValue()).toBe('15');
    await waitForClusters(page);
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('15');
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => field.inputValue()).toBe('5');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => field.inputValue()).toBe('4');
    await waitForClusters(page);
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('4');
    await page.context().close();
  });
});
