/**
 * The second user story: compare algorithms side by side. Two panes (K-Means and DBSCAN) over the same embedding;
 * the ARI / NMI table and the contingency heatmap; colours of pane 2 matched to pane 1; linked selection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, openApp, type App } from './harness.ts';
import { adjustedRandScore, normalizedMutualInfoScore } from '../../workers/engine/metrics/contingency.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('side by side', () => {
  it('compares K-Means with DBSCAN: agreement table, contingency heatmap, matched colours', async () => {
    const page = await openApp(app);
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Add pane' }).click();
    const pane2 = page.getByRole('region', { name: 'Pane 2' });
    await pane2.getByLabel('algorithm').selectOption('DBSCAN');
    await pane2.getByLabel('eps value').fill('2');
    await expect.poll(() => pane2.locator('[data-metric="n_clusters"]').textContent()).toMatch(/^\d+$/);
    await expect.poll(() => page.getByTestId('agreement-1-2').locator('[data-metric="ari"]').textContent()).toMatch(/^-?\d/);
    // The table's numbers are the scikit-learn definitions applied to the panes' labels.
    const { a, b } = await page.evaluate(() => {
      const s = (globalThis as any).__clustertune;
      return { a: Array.from(s.panes[0].result.labels as Int32Array), b: Array.from(s.panes[1].result.labels as Int32Array) };
    });
    const ari = adjustedRandScore(Int32Array.from(a), Int32Array.from(b));
    const nmi = normalizedMutualInfoScore(Int32Array.from(a), Int32Array.from(b));
    const shownAri = Number(await page.getByTestId('agreement-1-2').locator('[data-metric="ari"]').textContent());
    const shownNmi = Number(await page.getByTestId('agreement-1-2').locator('[data-metric="nmi"]').textContent());
    expect(Math.abs(shownAri - ari)).toBeLessThan(0.0006);
    expect(Math.abs(shownNmi - nmi)).toBeLessThan(0.0006);
    // The contingency heatmap holds the cross-tabulation of the two labellings.
    const total = await page.evaluate(() => {
      const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g: any) => g.data?.[0]?.type === 'heatmap') as any;
      return (gd.data[0].z as number[][]).flat().reduce((s, v) => s + v, 0);
    });
    expect(total).toBe(8950);
    // Columns are ordered by the Hungarian matching: the diagonal holds at least as many rows as any cyclic shift of it.
    const z = await page.evaluate(() => {
      const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g: any) => g.data?.[0]?.type === 'heatmap') as any;
      return gd.data[0].z as number[][];
    });
    const B = z[0].length;
    const shifted = (s: number) => z.reduce((sum, row, i) => sum + (i < B ? row[(i + s) % B] : 0), 0);
    for (let s = 1; s < B; s++) expect(shifted(0)).toBeGreaterThanOrEqual(shifted(s));
    // Both scatters show every point; pane 2's colours are matched to pane 1's clusters.
    const colours = await page.evaluate(() =>
      [...document.querySelectorAll('.card .js-plotly-plot')].map((g: any) => (g.data[0].marker.color as string[]).slice()),
    );
    expect(colours.length).toBe(2);
    expect(colours[0].length).toBe(8950);
    const agree = colours[0].filter((c, i) => c === colours[1][i]).length / 8950;
    expect(agree).toBeGreaterThan(0.3); // matched colours: the same groups share colours wherever the partitions agree
    await page.context().close();
  });

  it('shares a selection between panes and removes a pane', async () => {
    const page = await openApp(app);
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Add pane' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Pane 2' }).locator('[data-metric="n_clusters"]').textContent()).toMatch(/^\d+$/);
    await page.evaluate(() => ((globalThis as any).__clustertune.view.selection = Array.from({ length: 100 }, (_, i) => i)));
    await expect.poll(() => page.getByTestId('selection').count()).toBe(2);
    expect(await page.getByTestId('selection').first().textContent()).toContain('Selected 100 points');
    await page.getByRole('button', { name: 'Remove pane 2' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Pane 2' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('PNG of a plot', () => {
  it('downloads the scatter as a PNG from the plot\'s mode bar', async () => {
    const page = await openApp(app);
    await page.locator('.scatter .js-plotly-plot').hover();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.scatter .modebar-btn[data-title="Download plot as a PNG"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('clustertune-pane1-scatter.png');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000);
    await page.context().close();
  });
});
