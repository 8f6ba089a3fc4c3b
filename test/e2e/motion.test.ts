/**
 * A moving t-SNE layout is drawn in the scatter's motion layer (src/lib/motion_layer.ts), a CPU-backed canvas over the
 * plot area: neither the start of the motion nor its frames call Plotly, and the figure underneath (hidden) is redrawn
 * in full once the layout stops. This also fails loudly if a Plotly upgrade renames the layers app.css hides.
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
/** Full redraws of the main scatter so far. */
const scatterRedraws = (p: Page) =>
  p.evaluate(() => performance.getEntriesByName('plot-redraw').filter((e: any) => String(e.detail).startsWith('Scatter plot')).length);

describe('moving layouts', () => {
  it('t-SNE frames go into the motion layer without a Plotly call; the figure is redrawn in full once stopped', async () => {
    page = await openApp(app);
    const region = page.getByRole('region', { name: 'Embedding' });
    const redrawsBefore = await scatterRedraws(page);
    await region.getByLabel('embedding', { exact: true }).selectOption('tsne');
    const frames = () => page!.evaluate(() => (globalThis as any).__clustertune.view.stream.frames as number);
    await expect.poll(frames, { timeout: 120_000 }).toBeGreaterThan(8);
    // the layer holds the latest frame; Plotly's data stays the PCA scatter the motion started from
    await expect
      .poll(() =>
        scatter(page!).evaluate((gd: any) => {
          const l = (globalThis as any).__clustertune.view.stream.layout;
          const drawn = gd.querySelector('canvas.motion-layer')?.__layer?.drawn;
          const pca = (globalThis as any).__clustertune.dataset.prepared.pca;
          return !!drawn && drawn.frame.x[0] === l.coords[0] && drawn.frame.y[1] === l.coords[3] && gd.data[0].x[0] === pca[0] && gd.data[0].y[0] === pca[1];
        }),
      )
      .toBe(true);
    const layer = await scatter(page).evaluate((gd: any) => {
      const c = gd.querySelector('canvas.motion-layer');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let opaque = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 128) opaque++;
      const size = gd._fullLayout._size;
      return {
        frames: c.__layer.drawn.frames,
        points: c.__layer.drawn.points,
        opaque,
        // over the plot area exactly
        box: [parseFloat(c.style.left), parseFloat(c.style.top), parseFloat(c.style.width), parseFloat(c.style.height)],
        area: [size.l, size.t, size.w, size.h],
        // what Plotly draws underneath is hidden: its WebGL points, ticks and hover labels
        hidden: ['.gl-container', '.xtick', '.ytick', '.hoverlayer'].map((s) => getComputedStyle(gd.querySelector(s)).visibility),
        title: gd.querySelector('.motion-title-x')?.textContent,
      };
    });
    expect(layer.frames).toBeGreaterThan(4);
    expect(layer.points).toBe(8950);
    expect(layer.opaque).toBeGreaterThan(2000);
    expect(layer.box).toEqual(layer.area);
    expect(layer.hidden).toEqual(['hidden', 'hidden', 'hidden', 'hidden']);
    expect(layer.title).toBe('t-SNE 1');
    // no full redraw of the scatter since t-SNE was chosen: not at the start, not per frame
    expect(await scatterRedraws(page)).toBe(redrawsBefore);

    await region.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page!.getByTestId('embedding-status').textContent()).toBe('stopped');
    // the layer goes back to showing Plotly's figure (redrawn with the layout it stopped at)
    await expect
      .poll(() => scatter(page!).evaluate((gd: any) => ({ mode: gd.querySelector('canvas.motion-layer')?.__layer?.mode, moving: gd.classList.contains('moving') })))
      .toEqual({ mode: 'still', moving: false });
    const stopped = await scatter(page).evaluate((gd: any) => {
      const l = (globalThis as any).__clustertune.view.stream.layout;
      return {
        x: Array.from(gd.data[0].x.slice(0, 5)),
        want: Array.from(l.coords.filter((_: number, i: number) => i % 2 === 0).slice(0, 5)),
        title: gd.layout.xaxis.title.text,
        hover: gd.data[0].hoverinfo,
        ticks: getComputedStyle(gd.querySelector('.xtick')).visibility,
        gl: getComputedStyle(gd.querySelector('.gl-container')).visibility,
        layerX: Array.from(gd.querySelector('canvas.motion-layer').__layer.drawn.frame.x.slice(0, 5)),
      };
    });
    expect(stopped.x).toEqual(stopped.want);
    expect(stopped.layerX).toEqual(stopped.want);
    expect(stopped).toMatchObject({ title: 't-SNE 1', hover: 'text', ticks: 'visible', gl: 'hidden' });
    expect(await scatterRedraws(page)).toBe(redrawsBefore + 1);
  });
});
