/**
 * The scatter's points in the CPU layer over the plot area (src/lib/motion_layer.ts, mode `still`): Plotly's WebGL
 * points stay hidden, and the layer shows the same points in the same places, following a lasso selection and a zoom.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, openApp, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/**
 * The layer's state, and how well its opaque pixels cover those of Plotly's hidden WebGL canvas over the plot area
 * (intersection over union: 1 is the same picture; points in other places give about 0).
 */
const LAYER_STATE = `(() => {
  const gd = document.querySelector('.scatter .js-plotly-plot');
  gd.__flushGl(); // Plotly's points are held while the layer covers them (src/lib/gl_hold.ts): drawn now
  const cs = [...gd.querySelectorAll('canvas')];
  const layer = cs.find((c) => c.classList.contains('motion-layer'));
  const gl = cs.find((c) => c.width > 100 && !c.classList.contains('motion-layer') && (c.getContext('webgl') || c.getContext('webgl2')));
  const s = gd._fullLayout._size;
  const read = (c, sx, sy, sw, sh) => {
    const t = document.createElement('canvas');
    t.width = s.w;
    t.height = s.h;
    const x = t.getContext('2d');
    x.drawImage(c, sx, sy, sw, sh, 0, 0, s.w, s.h);
    return x.getImageData(0, 0, s.w, s.h).data;
  };
  const a = read(layer, 0, 0, layer.width, layer.height);
  const b = read(gl, s.l, s.t, s.w, s.h);
  let both = 0;
  let either = 0;
  for (let i = 3; i < a.length; i += 4) {
    const pa = a[i] > 100;
    const pb = b[i] > 100;
    if (pa && pb) both++;
    if (pa || pb) either++;
  }
  const l = layer.__layer;
  return {
    mode: l.mode,
    points: l.drawn.points,
    selected: l.drawn.selected,
    range: l.drawn.frame.range,
    plotlyRange: [gd._fullLayout.xaxis.range.map(Number), gd._fullLayout.yaxis.range.map(Number)],
    iou: both / either,
    gl: getComputedStyle(gd.querySelector('.gl-container')).visibility,
    // where Plotly's WebGL points would be: over the axes, under the hover labels and the lasso
    under: [...(layer.parentElement?.children ?? [])].slice([...layer.parentElement.children].indexOf(layer) + 1).some((e) => !!e.querySelector('.hoverlayer')),
    over: layer.previousElementSibling?.classList.contains('gl-container') ?? false,
  };
})()`;
type LayerState = { mode: string; points: number; selected: number; range: number[][]; plotlyRange: number[][]; iou: number; gl: string; under: boolean; over: boolean };
const state = (page: import('playwright-core').Page) => page.evaluate(LAYER_STATE) as Promise<LayerState>;

describe('the point layer', () => {
  it('shows Plotly\'s points in their places, and follows a lasso selection and a zoom', async () => {
    const page = await openApp(app);
    await page.waitForTimeout(300);
    const first = await state(page);
    expect(first).toMatchObject({ mode: 'still', points: 8950, selected: 0, gl: 'hidden', under: true, over: true });
    expect(first.range).toEqual(first.plotlyRange);
    expect(first.iou, 'the layer and Plotly draw the same points in the same places').toBeGreaterThan(0.75);

    // a lasso over the middle of the plot: the layer draws the selection (the others faint)
    const box = (await page.locator('.scatter .js-plotly-plot .nsewdrag').first().boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx - 120, cy - 90);
    await page.mouse.down();
    for (const [dx, dy] of [[60, -100], [140, -20], [100, 100], [-60, 110], [-130, 40], [-120, -90]]) await page.mouse.move(cx + dx, cy + dy, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.getByText(/^Selected \d+ points/).count()).toBe(1);
    const n = Number((await page.getByText(/^Selected \d+ points/).textContent())!.match(/Selected (\d+)/)![1]);
    expect(n).toBeGreaterThan(0);
    await expect.poll(() => state(page).then((s) => s.selected)).toBe(n);

    // zoom in from the mode bar: the layer takes Plotly's new ranges; fewer points lie in view
    await page.locator('.scatter .js-plotly-plot').hover();
    await page.locator('.scatter .modebar-btn[data-title="Zoom in"]').click();
    await expect.poll(() => state(page).then((s) => s.points)).toBeLessThan(8950);
    const zoomed = await state(page);
    expect(zoomed.range).toEqual(zoomed.plotlyRange);
    expect(zoomed.range[0][1] - zoomed.range[0][0]).toBeLessThan(first.range[0][1] - first.range[0][0]);
    await page.context().close();
  });

  it('shows new positions before Plotly has drawn them, in the ranges Plotly then gives', async () => {
    const page = await openApp(app);
    // every draw of the layer, as asked
    await page.evaluate(`(() => {
      const layer = document.querySelector('.scatter canvas.motion-layer').__layer;
      const draw = layer.draw.bind(layer);
      window.__draws = [];
      layer.draw = (frame, colours, marker, margin, mode, ...rest) => {
        window.__draws.push({ mode, range: frame.range, n: frame.x.length, plotlyX0: document.querySelector('.scatter .js-plotly-plot').data[0].x[0], x0: frame.x[0] });
        return draw(frame, colours, marker, margin, mode, ...rest);
      };
    })()`);
    await page.getByRole('region', { name: 'Embedding' }).getByLabel('embedding', { exact: true }).selectOption('features');
    await expect.poll(() => page.locator('.scatter .js-plotly-plot').evaluate((gd: any) => gd.layout.xaxis.title.text)).toMatch(/scaled/);
    await expect.poll(() => state(page).then((s) => s.mode)).toBe('still');
    type Draw = { mode: string; range: number[][]; n: number; plotlyX0: number; x0: number };
    const draws = (await page.evaluate('window.__draws')) as Draw[];
    const final = await state(page);
    // the first draw of the new positions came while Plotly still held the old ones (PCA), Plotly's axes hidden
    const first = draws.find((d) => d.x0 !== d.plotlyX0)!;
    expect(first).toMatchObject({ mode: 'motion', n: 8950 });
    for (const a of [0, 1]) for (const e of [0, 1]) expect(first.range[a][e]).toBeCloseTo(final.plotlyRange[a][e], 6);
    await page.context().close();
  });
});
