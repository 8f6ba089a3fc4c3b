/**
 * Agglomerative clustering cut at a distance_threshold instead of n_clusters: the switch keeps the current cut,
 * the threshold slider and the dendrogram's cut line set it, and the configuration says n_clusters: null.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('agglomerative distance_threshold', () => {
  it('switching to a distance_threshold keeps the cut; a higher threshold gives fewer clusters; export and import agree', async () => {
    const page = await openApp(app);
    await page.getByLabel('algorithm').first().selectOption('AgglomerativeClustering');
    await waitForClusters(page);
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('4');
    const before = await labels(page);
    // the tree must be known before the switch can place the threshold between the right merges
    await expect.poll(() => page.getByTestId('dendrogram-cut').textContent(), { timeout: 30_000 }).toMatch(/n_clusters = 4/);
    await page.getByLabel('at a distance_threshold').check();
    await expect.poll(() => page.getByLabel('distance_threshold value').isVisible()).toBe(true);
    expect(await page.getByLabel('n_clusters', { exact: true }).count()).toBe(0);
    await waitForClusters(page);
    expect(await page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('4');
    expect(await labels(page)).toEqual(before);
    const t4 = Number(await page.getByLabel('distance_threshold value').inputValue());
    expect(t4).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('dendrogram-cut').textContent()).toMatch(/distance_threshold = .*n_clusters = 4/);

    // a higher threshold: fewer clusters
    await page.getByLabel('distance_threshold value').fill(String(Number((t4 * 1.6).toPrecision(4))));
    await waitForClusters(page);
    await expect.poll(async () => Number(await page.locator('[data-metric="n_clusters"]').first().textContent())).toBeLessThan(4);
    const fewer = await labels(page);
    // a threshold <= 0 is refused beside the control and the result stays
    await page.getByLabel('distance_threshold value').fill('0');
    await expect.poll(() => page.locator('[role=alert][data-param="distance_threshold"]').first().textContent()).toMatch(/distance_threshold/);
    expect(await labels(page)).toEqual(fewer);
    await page.getByLabel('distance_threshold value').fill(String(Number((t4 * 1.6).toPrecision(4))));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const est = JSON.parse(text).estimators[0];
    expect(est.name).toBe('AgglomerativeClustering');
    expect(est.params.n_clusters).toBeNull();
    expect(est.params.distance_threshold).toBeCloseTo(Number((t4 * 1.6).toPrecision(4)), 10);

    // back to n_clusters: the slider returns with the current number of clusters
    await page.getByLabel('into n_clusters').check();
    await expect.poll(() => page.getByLabel('n_clusters value').inputValue()).toBe(String(new Set(fewer).size));
    await page.getByLabel('n_clusters value').fill('6');
    await waitForClusters(page);
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('6');
    // importing the exported file restores the threshold cut and its labels
    await page.getByLabel('Import configuration').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => page.getByLabel('distance_threshold value').isVisible()).toBe(true);
    await waitForClusters(page);
    await expect.poll(() => labels(page)).toEqual(fewer);
    await page.context().close();
  });
});
