/**
 * The diagnostics under the scatter, in real Chromium: a click on the k-sweep applies that k; the eps line of the
 * k-distance plot is dragged with the mouse and moves the eps slider (and the clusters), and the slider moves the
 * line; a heatmap cell applies its eps and min_samples; dragging the dendrogram's cut line changes n_clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const plotOf = (section: string) => `section[aria-label="${section}"] .js-plotly-plot`;
/** One metric's figure of the k-sweep's small multiples. */
const kSweepPlot = (metric: string) => `section[aria-label="k-sweep"] .js-plotly-plot[aria-label^="k-sweep: ${metric}"]`;
const metric = (page: Page, name: string) => page.locator(`[data-metric="${name}"]`).textContent();

/** Page coordinates of data point (x, y) on a plot's axes (xaxis / xaxis2 …); on a category axis, give the category's index. */
function pixel(page: Page, selector: string, x: unknown, y: unknown, xaxis = 'xaxis', yaxis = 'yaxis'): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ([sel, xv, yv, xa, ya]) => {
      const gd = document.querySelector(sel as string) as any;
      const r = gd.getBoundingClientRect();
      const ax = gd._fullLayout[xa as string];
      const ay = gd._fullLayout[ya as string];
      const p = (a: any, v: unknown) => (a.type === 'category' ? a.l2p(v) : a.d2p(v));
      return { x: r.left + ax._offset + p(ax, xv), y: r.top + ay._offset + p(ay, yv) };
    },
    [selector, x, y, xaxis, yaxis] as const,
  );
}

/** Drags with the mouse in small steps, as a person does. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
  await page.mouse.up();
}

async function chooseAlgorithm(page: Page, name: string): Promise<void> {
  await page.getByLabel('algorithm', { exact: true }).first().selectOption(name);
  await page.waitForFunction((n) => (globalThis as any).__clustertune.panes[0].resultEstimator?.name === n, name, { timeout: 60_000 });
  await waitForClusters(page);
}

describe('diagnostics', () => {
  it('the k-sweep streams its points and a click on a k applies it', async () => {
    const page = await openApp(app);
    expect(await metric(page, 'n_clusters')).toBe('4');
    const sel = kSweepPlot('silhouette');
    // points stream in as each k finishes; wait for k = 7 on the silhouette plot (the second small figure)
    await page.waitForFunction((s) => (document.querySelector(s) as any)?.data?.[0]?.y?.[5] != null, sel, { timeout: 90_000 });
    const y = await page.evaluate((s) => (document.querySelector(s) as any).data[0].y[5], sel);
    const at = await pixel(page, sel, 7, y);
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => metric(page, 'n_clusters')).toBe('7');
    expect(await page.getByLabel('n_clusters value', { exact: true }).inputValue()).toBe('7');
    await waitForClusters(page);
    expect(new Set(await labels(page)).size).toBe(7);
    // the current k is marked on every small figure, at k = 7 on its x axis (over the plot: no figure redraw)
    const figures = 'section[aria-label="k-sweep"] .js-plotly-plot';
    expect(await page.locator(figures).count()).toBe(4); // inertia, silhouette, Davies-Bouldin, Calinski-Harabasz
    await expect
      .poll(() => page.evaluate((s) => [...document.querySelectorAll(s)].map((g) => (g.querySelector('.plot-mark') as HTMLElement | null)?.dataset.x), figures))
      .toEqual(['7', '7', '7', '7']);
    const markX = await page.evaluate((s) => (document.querySelector(s)!.querySelector('.plot-mark') as HTMLElement).getBoundingClientRect().left, sel);
    expect(Math.abs(markX - (await pixel(page, sel, 7, y)).x)).toBeLessThan(2.5);
    // the numbers are text on the page too
    await expect.poll(() => page.getByLabel('Best k per metric').textContent(), { timeout: 90_000 }).toMatch(/elbow: \d+/);
    await page.context().close();
  });

  it('a running sweep shows progress, can be cancelled and resumed; a newer request supersedes it', async () => {
    const page = await openApp(app);
    await chooseAlgorithm(page, 'GaussianMixture'); // the slowest sweep: one EM fit per k
    const progress = page.getByRole('status', { name: 'k-sweep progress' });
    await progress.waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).last().click();
    await expect.poll(() => page.getByLabel('k-sweep', { exact: true }).textContent()).toMatch(/k-sweep stopped/);
    expect(await progress.count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await progress.waitFor({ timeout: 30_000 });
    // another covariance_type is another sweep: it replaces the running one
    await page.getByLabel('covariance_type', { exact: true }).selectOption('spherical');
    await page.waitForFunction(() => (globalThis as any).__clustertune.panes[0].resultEstimator?.params.covariance_type === 'spherical');
    await expect.poll(() => page.getByLabel('k-sweep', { exact: true }).textContent(), { timeout: 90_000 }).toMatch(/elbow: \d+/);
    // BIC for k = 2..15, all computed and drawn (the small figures redraw one after another, paced)
    const bic = () => page.evaluate((s) => (document.querySelector(s) as any).data[0].y.map((v: unknown) => typeof v), kSweepPlot('BIC'));
    await expect.poll(bic, { timeout: 30_000 }).toEqual(new Array(14).fill('number'));
    await page.context().close();
  });

  it('a sweep stops while a file loads, and one that fails to load leaves it to finish for the data shown', async () => {
    const page = await openApp(app);
    await chooseAlgorithm(page, 'GaussianMixture'); // the slowest sweep: one EM fit per k
    const progress = page.getByRole('status', { name: 'k-sweep progress' });
    await progress.waitFor({ timeout: 60_000 });
    const points = () => page.evaluate((s) => (document.querySelector(s) as any)?.data?.[0]?.y?.filter((v: unknown) => typeof v === 'number').length ?? 0, kSweepPlot('BIC'));
    // a file that cannot be read: the load fails, the data and its clusters stay
    await page.getByLabel('Upload data').setInputFiles({ name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004 not a workbook') });
    await page.getByTestId('load-error').waitFor();
    expect(await page.getByTestId('load-error').textContent()).not.toBe('');
    // the sweep is taken up again for the data still shown: every k, each drawn
    await expect.poll(points, { timeout: 120_000 }).toBe(14);
    await expect.poll(() => page.getByLabel('k-sweep', { exact: true }).textContent(), { timeout: 30_000 }).toMatch(/elbow: \d+/);
    await page.context().close();
  });

  it('the eps line follows the slider, and dragging it sets eps (slider and clusters follow)', async () => {
    const page = await openApp(app);
    await chooseAlgorithm(page, 'DBSCAN');
    const sel = plotOf('k-distance plot');
    await page.waitForFunction((s) => (document.querySelector(s) as any)?.layout?.shapes?.length === 1, sel, { timeout: 60_000 });
    // the slider's range comes from the data (the k-distance curve), not the fixed 0.01-5
    const slider = page.getByLabel('eps', { exact: true });
    await expect.poll(() => slider.getAttribute('min')).not.toBe('0.01');
    const [min, max] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
    expect(min).toBeGreaterThan(0.01);
    expect(max).toBeGreaterThan(min);
    const lineX = () => page.evaluate((s) => (document.querySelector(s) as any).layout.shapes[0].x0, sel);
    expect(await lineX()).toBe(1.5);

    // slider -> line
    await page.getByLabel('eps value', { exact: true }).fill('1.2');
    await expect.poll(lineX).toBe(1.2);
    await waitForClusters(page);
    const before = await labels(page);
    const clustersBefore = await metric(page, 'n_clusters');

    // line -> slider: drag the red line from 1.2 to about 2.4 with the mouse
    const from = await pixel(page, sel, 1.2, 50);
    const to = await pixel(page, sel, 2.4, 50);
    await drag(page, from, to);
    await expect.poll(async () => Number(await page.getByLabel('eps value', { exact: true }).inputValue())).toBeGreaterThan(2.2);
    const eps = Number(await page.getByLabel('eps value', { exact: true }).inputValue());
    expect(eps).toBeLessThan(2.6);
    expect(Number(await slider.inputValue())).toBeCloseTo(eps, 6);
    await expect.poll(lineX).toBe(eps); // snapped to the slider's step and drawn there
    await page.waitForFunction((e) => (globalThis as any).__clustertune.panes[0].resultEstimator?.params.eps === e, eps);
    await waitForClusters(page);
    const after = await labels(page);
    expect(after).not.toEqual(before);
    const noise = (l: number[]) => l.filter((v) => v < 0).length;
    expect(noise(after)).toBeLessThan(noise(before)); // a larger eps: fewer noise points
    expect(await metric(page, 'n_clusters')).not.toBeNull();
    expect(clustersBefore).not.toBeNull();
    await page.context().close();
  });

  it('a click on an eps x min_samples cell applies both', async () => {
    const page = await openApp(app);
    await chooseAlgorithm(page, 'DBSCAN');
    const sel = plotOf('eps and min_samples sweep');
    // wait for the min_samples = 5 row (y index 1) to be filled in
    await page.waitForFunction(
      (s) => {
        const gd = document.querySelector(s) as any;
        const row = gd?.data?.[0]?.z?.[1];
        return Array.isArray(row) && row.every((v: unknown) => v !== null);
      },
      sel,
      { timeout: 120_000 },
    );
    const { ex, ey, n } = await page.evaluate((s) => {
      const d = (document.querySelector(s) as any).data[0];
      return { ex: d.x[7], ey: d.y[1], n: d.z[1][7] };
    }, sel);
    expect(ey).toBe('5');
    const at = await pixel(page, sel, 7, 1);
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.getByLabel('min_samples value', { exact: true }).inputValue()).toBe('5');
    expect(await page.getByLabel('eps value', { exact: true }).inputValue()).toBe(ex);
    await page.waitForFunction(([e, m]) => {
      const p = (globalThis as any).__clustertune.panes[0].resultEstimator?.params;
      return p?.min_samples === m && String(p?.eps) === e;
    }, [ex, 5] as const);
    await waitForClusters(page);
    // the pane's clustering is the cell's
    expect(await metric(page, 'n_clusters')).toBe(String(n));
    await page.context().close();
  });

  it('dragging the dendrogram cut line changes n_clusters, and n_clusters moves the line', async () => {
    const page = await openApp(app);
    await chooseAlgorithm(page, 'AgglomerativeClustering');
    const sel = plotOf('Dendrogram');
    await page.waitForFunction((s) => (document.querySelector(s) as any)?.layout?.shapes?.length === 1, sel, { timeout: 90_000 });
    expect(await page.getByTestId('dendrogram-cut').textContent()).toMatch(/n_clusters = 4 ⇔ distance_threshold in \(/);
    // the merge heights drawn, highest first
    const heights: number[] = await page.evaluate((s) => {
      const gd = document.querySelector(s) as any;
      const ys = gd.data.filter((t: any) => t.mode === 'lines').flatMap((t: any) => t.y.filter((v: any, i: number) => v !== null && i % 5 === 1));
      return [...new Set(ys as number[])].sort((a, b) => b - a);
    }, sel);
    const lineY = () => page.evaluate((s) => (document.querySelector(s) as any).layout.shapes[0].y0, sel);
    const y4 = await lineY();
    expect(y4).toBeLessThan(heights[2]);
    expect(y4).toBeGreaterThan(heights[3]);
    // drag the cut between the two highest merges: 2 clusters
    const from = await pixel(page, sel, 10, y4);
    const to = await pixel(page, sel, 10, (heights[0] + heights[1]) / 2);
    await drag(page, from, to);
    await expect.poll(() => page.getByLabel('n_clusters value', { exact: true }).inputValue()).toBe('2');
    await expect.poll(() => metric(page, 'n_clusters')).toBe('2');
    await waitForClusters(page);
    expect(new Set(await labels(page)).size).toBe(2);
    await expect.poll(lineY).toBeGreaterThan(heights[1]);
    // n_clusters -> line: 6 clusters cut between the 5th and 6th highest merges
    await page.getByLabel('n_clusters value', { exact: true }).fill('6');
    await expect.poll(lineY).toBeLessThan(heights[4]);
    expect(await lineY()).toBeGreaterThan(heights[5]);
    await expect.poll(() => page.getByTestId('dendrogram-cut').textContent()).toMatch(/n_clusters = 6/);
    await page.context().close();
  });
});
