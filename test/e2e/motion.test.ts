/**
 * A moving t-SNE layout reaches the scatter through the scattergl buffers (fast_recolour.ts moveScattergl), not a
 * Plotly.react per frame: this fails loudly if a Plotly upgrade changes the internals that path relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, startApp, type App } from './harness.ts';

let app: App;
let page: Page | null = null;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await page?.context().close();
  await app?.close();
});

const scatter = (p: Page) => p.locator('.scatter .js-plotly-plot');

describe('moving layouts', () => {
  it('t-SNE frames go into the WebGL layer; the figure is redrawn in full (axes, hover) once stopped', async () => {
    page = await openApp(app);
    const region = page.getByRole('region', { name: 'Embedding' });
    await region.getByLabel('embedding', { exact: true }).selectOption('tsne');
    const frames = () => page!.evaluate(() => (globalThis as any).__clustertune.view.stream.frames as number);
    await expect.poll(frames, { timeout: 120_000 }).toBeGreaterThan(8);
    const moves = await page.evaluate(() => (globalThis as any).__fastMoves ?? 0);
    expect(moves).toBeGreaterThan(4);
    // the buffers hold the frame on screen: the scene's positions are the latest layout's; Plotly's own copy of the
    // data stays the figure's, the PCA scatter the motion started from (it was not rebuilt with the first frame's points)
    await expect
      .poll(() =>
        scatter(page!).evaluate((gd: any) => {
          const l = (globalThis as any).__clustertune.view.stream.layout;
          const pos = gd._fullLayout._plots.xy._scene.markerOptions[0].positions;
          const want = [l.coords[0], l.coords[2]];
          const pca = (globalThis as any).__clustertune.dataset.prepared.pca;
          return [pos[0], pos[2]].every((v, i) => v === want[i]) && gd.data[0].x[0] === pca[0] && gd.data[0].y[0] === pca[1];
        }),
      )
      .toBe(true);
    // while it moves: bare axes and no hover (Plotly's would not follow the frames)
    const moving = await scatter(page).evaluate((gd: any) => ({ ticks: gd._fullLayout.xaxis.showticklabels, hover: gd.data[0].hoverinfo }));
    expect(moving).toEqual({ ticks: false, hover: 'skip' });
    await region.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page!.getByTestId('embedding-status').textContent()).toBe('stopped');
    await expect
      .poll(() => scatter(page!).evaluate((gd: any) => ({ ticks: gd._fullLayout.xaxis.showticklabels, hover: gd.data[0].hoverinfo })))
      .toEqual({ ticks: true, hover: 'text' });
    const stopped = await scatter(page).evaluate((gd: any) => {
      const l = (globalThis as any).__clustertune.view.stream.layout;
      return { x: Array.from(gd.data[0].x.slice(0, 5)), want: Array.from(l.coords.filter((_: number, i: number) => i % 2 === 0).slice(0, 5)) };
    });
    expect(stopped.x).toEqual(stopped.want);
  });
});
