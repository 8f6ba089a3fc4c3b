/**
 * Embeddings in real Chromium: choosing t-SNE streams an animating scatter with progress; the k slider re-colours it
 * without restarting it; Stop keeps the layout and Resume continues; a new perplexity restarts from the current layout
 * when asked; the configuration records the embedding and importing it restores the choice; PCA draws in 3-D.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});
/** The test's page: closed after each test, passed or not (a running t-SNE must not slow the next test down). */
let current: Page | null = null;
afterEach(async () => {
  await current?.context().close();
  current = null;
});

const iteration = async (page: Page) => Number(await page.getByTestId('embedding-iteration').textContent());
const status = (page: Page) => page.getByTestId('embedding-status').textContent();
/** The x of every point drawn: the layer's (a moving layout's frame, or Plotly's data), else Plotly's data. */
const DRAWN_X = `(() => {
  const layer = document.querySelector('.scatter canvas.motion-layer')?.__layer;
  return layer?.drawn ? layer.drawn.frame.x : document.querySelector('.scatter .js-plotly-plot').data[0].x;
})()`;
/** The scatter's first n x values as drawn. */
const traceX = (page: Page, n = 50) => page.evaluate(`Array.from(${DRAWN_X}.slice(0, ${n}))`) as Promise<number[]>;
const stream = (page: Page) =>
  page.evaluate(() => {
    const s = (globalThis as any).__clustertune.view.stream;
    return { runs: s.runs as number, frames: s.frames as number, running: s.running as boolean, perplexity: s.params.TSNE.perplexity as number };
  });
/** Spread (max - min) of the scatter's x values. */
const spreadX = (page: Page) =>
  page.evaluate(`(() => {
    const x = ${DRAWN_X};
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  })()`) as Promise<number>;

describe('embeddings', () => {
  it('t-SNE animates with progress; k re-colours without restarting it; Stop keeps the layout, Resume continues', async () => {
    const page = (current = await openApp(app));
    const region = page.getByRole('region', { name: 'Embedding' });
    // the plots' sizes: the run's notes take no room from them (a size change is a full Plotly redraw of each)
    const sizes = () => page.evaluate(() => [...document.querySelectorAll('.js-plotly-plot')].map((g) => `${Math.round(g.getBoundingClientRect().width)}x${Math.round(g.getBoundingClientRect().height)}`));
    await expect.poll(async () => (await sizes()).length, { timeout: 60_000 }).toBe(5); // the scatter and the k-sweep's 4
    const sizesBefore = await sizes();
    await region.getByLabel('embedding', { exact: true }).selectOption('tsne');
    await expect.poll(() => page.getByTestId('embedding-iteration').count(), { timeout: 90_000 }).toBe(1);
    await page.getByText(/These plots catch up when the t-SNE layout stops/).waitFor();
    expect(await sizes()).toEqual(sizesBefore);
    await expect.poll(() => iteration(page)).toBeGreaterThan(2);
    const it1 = await iteration(page);
    const x1 = await traceX(page);
    await expect.poll(() => iteration(page)).toBeGreaterThan(it1 + 3);
    expect(await traceX(page)).not.toEqual(x1); // the trace moved
    expect(await status(page)).toBe('running');
    expect(await page.getByTestId('embedding-progress').textContent()).toMatch(/iteration \d+ \/ 1000 · KL divergence/);
    expect(await page.locator('.scatter .motion-title-x').textContent()).toBe('t-SNE 1');

    // the k slider re-colours the moving layout; the embedding is not asked for again
    const before = await stream(page);
    const itBeforeK = await iteration(page);
    const slider = page.getByLabel('n_clusters', { exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').first().textContent()).toBe('5');
    await waitForClusters(page);
    await expect
      .poll(() =>
        page.evaluate(() => {
          const drawn = (document.querySelector('.scatter canvas.motion-layer') as any)?.__layer?.drawn;
          return new Set(drawn ? drawn.colours : (document.querySelector('.scatter .js-plotly-plot') as any).data[0].marker.color).size;
        }),
      )
      .toBe(5);
    const after = await stream(page);
    expect(after.runs).toBe(before.runs);
    expect(after.frames).toBeGreaterThanOrEqual(before.frames);
    expect(await iteration(page)).toBeGreaterThanOrEqual(itBeforeK); // still counting up: not restarted
    await expect.poll(() => iteration(page)).toBeGreaterThan(itBeforeK);

    // Stop: the count and the layout stay
    await region.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => status(page)).toBe('stopped');
    // the layout the run stopped at (which may be a few iterations past the last frame drawn) is Plotly's own once
    // the motion layer has gone
    await expect.poll(() => page.evaluate(`!document.querySelector('.scatter .js-plotly-plot').classList.contains('moving')`)).toBe(true);
    await expect.poll(() => page.evaluate(`document.querySelector('.scatter canvas.motion-layer')?.__layer?.mode`)).toBe('still');
    const stoppedAt = await iteration(page);
    const xStopped = await traceX(page);
    await page.waitForTimeout(1500);
    expect(await iteration(page)).toBe(stoppedAt);
    expect(await traceX(page)).toEqual(xStopped);
    expect(stoppedAt).toBeLessThan(1000);

    // switching away and back loses nothing; Resume continues from where it stopped
    await region.getByLabel('embedding', { exact: true }).selectOption('pca');
    await expect.poll(() => page.locator('.scatter .js-plotly-plot').evaluate((gd: any) => gd.layout.xaxis.title.text)).toMatch(/^PC 1/);
    await region.getByLabel('embedding', { exact: true }).selectOption('tsne');
    await expect.poll(() => iteration(page)).toBe(stoppedAt);
    expect(await status(page)).toBe('stopped');
    const runsBeforeResume = (await stream(page)).runs;
    await region.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => iteration(page)).toBeGreaterThan(stoppedAt + 2);
    const resumed = await stream(page);
    expect(resumed.runs).toBe(runsBeforeResume + 1);
    // resumed in the worker, not restarted: no frame since Resume showed an iteration below the stop
    expect(await iteration(page)).toBeGreaterThan(stoppedAt);
  });

  it('a new perplexity asks; "from the current layout" restarts from it; the configuration records and restores t-SNE', async () => {
    const page = (current = await openApp(app));
    const region = page.getByRole('region', { name: 'Embedding' });
    // the plots' sizes: the run's notes take no room from them (a size change is a full Plotly redraw of each)
    const sizes = () => page.evaluate(() => [...document.querySelectorAll('.js-plotly-plot')].map((g) => `${Math.round(g.getBoundingClientRect().width)}x${Math.round(g.getBoundingClientRect().height)}`));
    await expect.poll(async () => (await sizes()).length, { timeout: 60_000 }).toBe(5); // the scatter and the k-sweep's 4
    const sizesBefore = await sizes();
    await region.getByLabel('embedding', { exact: true }).selectOption('tsne');
    await expect.poll(() => page.getByTestId('embedding-iteration').count(), { timeout: 90_000 }).toBe(1);
    await page.getByText(/These plots catch up when the t-SNE layout stops/).waitFor();
    expect(await sizes()).toEqual(sizesBefore);
    await expect.poll(() => iteration(page), { timeout: 60_000 }).toBeGreaterThan(60);
    await region.getByText('t-SNE parameters').click();
    const spreadBefore = await spreadX(page);
    expect(spreadBefore).toBeGreaterThan(0.5);
    await region.getByLabel('perplexity value').fill('20');
    const ask = page.getByRole('group', { name: 'perplexity change' });
    await expect.poll(() => ask.count()).toBe(1);
    expect((await stream(page)).perplexity).toBe(30); // nothing changes before the choice
    const runs = (await stream(page)).runs;
    await ask.getByRole('button', { name: 'from the current layout' }).click();
    await expect.poll(() => stream(page).then((s) => s.runs)).toBe(runs + 1);
    expect((await stream(page)).perplexity).toBe(20);
    // the first frames of the new run start from the old layout's extent, not from a tiny PCA start
    await expect.poll(() => page.evaluate(() => (globalThis as any).__clustertune.view.stream.layout?.cacheKey ?? '')).toContain('"perplexity":20');
    expect(await spreadX(page)).toBeGreaterThan(0.3 * spreadBefore);

    const text = await page.evaluate(() => (globalThis as any).__clustertune.configJson() as string);
    const config = JSON.parse(text);
    expect(config.embedding.name).toBe('TSNE');
    expect(config.embedding.params).toMatchObject({ n_components: 2, perplexity: 20, max_iter: 1000, init: 'pca', learning_rate: 'auto', random_state: 0 });

    await region.getByLabel('embedding', { exact: true }).selectOption('pca');
    await expect.poll(() => stream(page).then((s) => s.running)).toBe(false);
    const ok = await page.evaluate((t) => (globalThis as any).__clustertune.importConfigText(t), text);
    expect(ok).toBe(true);
    expect(await region.getByLabel('embedding', { exact: true }).inputValue()).toBe('tsne');
    await expect.poll(() => stream(page).then((s) => s.running)).toBe(true); // the import started it again
    await expect.poll(() => page.locator('.scatter .motion-title-x').textContent()).toBe('t-SNE 1'); // its frames on the scatter
  });

  it('PCA in 3-D draws a scatter3d with every point, coloured by cluster', async () => {
    const page = (current = await openApp(app));
    const region = page.getByRole('region', { name: 'Embedding' });
    await region.getByLabel('3-D').check();
    await expect.poll(() => page.locator('.scatter .js-plotly-plot').evaluate((gd: any) => gd.data[0].type)).toBe('scatter3d');
    const info = await page.locator('.scatter .js-plotly-plot').evaluate((gd: any) => ({
      n: gd.data[0].z.length,
      colours: new Set(gd.data[0].marker.color).size,
      title: gd.layout.scene.zaxis.title.text,
    }));
    const n = await page.evaluate(() => (globalThis as any).__clustertune.dataset.prepared.n_samples);
    expect(info.n).toBe(n);
    expect(info.colours).toBe(4);
    expect(info.title).toMatch(/^PC 3/);
    const config = JSON.parse(await page.evaluate(() => (globalThis as any).__clustertune.configJson()));
    expect(config.embedding).toEqual({ name: 'PCA', params: { n_components: 3 } });
    // two chosen features: back to 2-D, axes named after the columns
    await region.getByLabel('embedding', { exact: true }).selectOption('features');
    await region.getByLabel('y feature').selectOption('PURCHASES');
    await expect.poll(() => page.locator('.scatter .js-plotly-plot').evaluate((gd: any) => `${gd.data[0].type} ${gd.layout.yaxis.title.text}`)).toBe('scattergl PURCHASES (scaled)');
  });
});
