/**
 * The session in the URL and local storage: a shared link restores the data set, preprocessing, panes and parameters;
 * a reload returns to the same state; export, reload, import gives the same labels and the same URL state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('state in the URL and in local storage', () => {
  it('a shared link restores data set, preprocessing, panes and parameters', async () => {
    const page = await openApp(app);
    await page.getByLabel('data set').selectOption('moons');
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('500');
    await page.getByLabel('scaling').selectOption('minmax');
    await page.getByLabel('n_clusters value').first().fill('5');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('5');
    await waitForClusters(page);
    await expect.poll(() => page.url()).toContain('#state=');
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"n_clusters":5');
    const url = page.url();
    const before = await labels(page);
    // Another browser (fresh storage) opening the link
    const other = await app.page();
    await other.goto(url);
    await waitForClusters(other);
    expect(await other.getByTestId('n-rows').textContent()).toBe('500');
    expect(await other.getByLabel('scaling').inputValue()).toBe('minmax');
    expect(await other.locator('[data-metric="n_clusters"]').first().textContent()).toBe('5');
    expect(await labels(other)).toEqual(before);
    await other.context().close();
    await page.context().close();
  });

  it('a reload returns to where the user was; export, reload, import gives the same labels and URL state', async () => {
    const page = await openApp(app);
    await page.getByLabel('n_clusters value').first().fill('7');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('7');
    await waitForClusters(page);
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"n_clusters":7');
    const url = page.url();
    const original = await labels(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
    const config = readFileSync((await download.path())!, 'utf8');
    // Reload without the hash: local storage brings the state back
    await page.goto(app.url);
    await waitForClusters(page);
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('7');
    expect(await labels(page)).toEqual(original);
    // Change, then import the exported file: same labels, same URL state
    await page.getByLabel('n_clusters value').first().fill('3');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('3');
    await page.getByLabel('Import configuration').setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(config) });
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('7');
    await waitForClusters(page);
    expect(await labels(page)).toEqual(original);
    await expect.poll(() => page.url()).toBe(url);
    await page.context().close();
  });

  it('a broken link says so and opens the demo data', async () => {
    const page = await app.page();
    await page.goto(app.url + '#state=' + encodeURIComponent('{"builtin":"iris","config":{"format":"clustertune-config","version":1,"preprocessing":{"impute":"median","scaler":"standard"},"estimators":[{"name":"KMeans","params":{"n_clusters":-1}}]}}'));
    await waitForClusters(page);
    expect(await page.getByTestId('n-rows').textContent()).toBe('8950');
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/n_clusters/);
    await page.context().close();
  });
});
