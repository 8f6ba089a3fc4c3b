/**
 * Guard of the fast recolour path (src/lib/fast_recolour.ts), which writes colours into Plotly's scattergl layer:
 * if a Plotly upgrade changes those internals, this fails loudly instead of the app silently falling back to the
 * slow path. It also checks the pixels: the colours drawn are the new clusters' colours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, type App } from './harness.ts';
import { PALETTE } from '../../src/lib/palette.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/**
 * How many pixels of each palette colour the scatter's WebGL canvas (Plotly's, hidden) or its point layer (what the
 * user sees) holds (pixels within a small distance).
 */
function paletteColoursDrawn(page: Page, canvas: 'webgl' | 'layer'): Promise<number[]> {
  return page.evaluate(([palette, which]) => {
    // Plotly's points are held while the layer covers them (src/lib/gl_hold.ts): drawn now, as they would show
    if (which === 'webgl') (document.querySelector('.scatter .js-plotly-plot') as any).__flushGl?.();
    const canvases = [...document.querySelectorAll('.scatter canvas')] as HTMLCanvasElement[];
    const src =
      which === 'layer'
        ? canvases.find((c) => c.classList.contains('motion-layer'))
        : canvases.find((c) => c.width > 100 && !c.classList.contains('motion-layer') && (c.getContext('webgl') || c.getContext('webgl2')));
    const c2 = document.createElement('canvas');
    c2.width = src!.width;
    c2.height = src!.height;
    const ctx = c2.getContext('2d')!;
    ctx.drawImage(src!, 0, 0);
    const px = ctx.getImageData(0, 0, c2.width, c2.height).data;
    const rgb = palette.map((h: string) => [1, 3, 5].map((o) => parseInt(h.slice(o, o + 2), 16)));
    const counts = new Array(rgb.length).fill(0);
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 200) continue;
      for (let k = 0; k < rgb.length; k++) {
        const [r, g, b] = rgb[k];
        if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 16) counts[k]++;
      }
    }
    return counts;
  }, [PALETTE, canvas] as [string[], string]);
}

describe('fast recolour path', () => {
  it('recolours through the scattergl buffer and the canvas shows the new clusters\' colours', async () => {
    // a tall window: the scatter large enough that even a small, overdrawn cluster shows many pixels
    const page = await openApp(app, 1280, 1100);
    await page.waitForTimeout(300);
    for (const canvas of ['webgl', 'layer'] as const) {
      const before = await paletteColoursDrawn(page, canvas);
      expect(before.slice(0, 4).every((c) => c > 40), `${canvas}: palette pixels before: ${before}`).toBe(true); // 4 clusters drawn
      expect(before.slice(6).every((c) => c < 20), `${canvas}: palette pixels before: ${before}`).toBe(true);
    }
    const slider = page.getByLabel('n_clusters', { exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight'); // 7 clusters
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('7');
    await waitForClusters(page);
    await page.waitForTimeout(300);
    const path = await page.evaluate(() => (globalThis as any).__recolourPath);
    expect(path, 'Plotly internals changed: the fast scattergl recolour path is no longer taken (see src/lib/fast_recolour.ts)').toBe('fast');
    for (const canvas of ['webgl', 'layer'] as const) {
      const after = await paletteColoursDrawn(page, canvas);
      expect(after.slice(0, 7).every((c) => c > 40), `${canvas}: palette pixels after recolour: ${after}`).toBe(true);
    }
    // Plotly's own data agrees (hover and the next react read it)
    const n = await page.evaluate(() => new Set((document.querySelector('.scatter .js-plotly-plot') as any).data[0].marker.color).size);
    expect(n).toBe(7);
    await page.context().close();
  });

  it('while a slider is dragged the new colours go into the layer over the plot at once, and to Plotly when it pauses', async () => {
    const page = await openApp(app);
    const slider = page.getByLabel('n_clusters', { exact: true });
    // the slider's steps computed ahead (the answer comes within the key press, well inside the drag's pause time)
    await expect.poll(() => page.evaluate(() => (globalThis as any).__clustertune.panes[0].lookahead.size as number), { timeout: 30_000 }).toBeGreaterThan(5);
    await slider.focus();
    const layered = () =>
      page.evaluate(() => {
        const gd = document.querySelector('.scatter .js-plotly-plot') as any;
        const layer = gd.querySelector('canvas.motion-layer')?.__layer;
        const drawn = layer?.drawn;
        return {
          mode: layer?.mode,
          colours: drawn ? new Set(drawn.colours).size : 0,
          points: drawn?.points ?? 0,
          plotly: new Set(gd.data[0].marker.color).size,
          gl: getComputedStyle(gd.querySelector('.gl-container')).visibility,
        };
      });
    await page.keyboard.press('ArrowRight'); // 5
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('5');
    const mid = await layered();
    // drawn in the layer (every point in view), Plotly's WebGL points hidden and not yet recoloured
    expect(mid).toEqual({ mode: 'drag', colours: 5, points: 8950, plotly: 4, gl: 'hidden' });
    // the drag pauses: Plotly gets the colours, the layer shows Plotly's figure again
    await waitForClusters(page);
    await expect.poll(layered).toEqual({ mode: 'still', colours: 5, points: 8950, plotly: 5, gl: 'hidden' });
    await page.context().close();
  });
});
