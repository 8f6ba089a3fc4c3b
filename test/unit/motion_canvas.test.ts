// Drawing a scatter's points into pixels (src/lib/motion_canvas.ts).
import { describe, expect, it } from 'vitest';
import { colourWord, colourWords, discMask, drawFrame } from '../../src/lib/motion_canvas.ts';
import { plotlyAutorange } from '../../src/lib/motion_layer.ts';

const rgba = (w: number) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24];

describe('motion canvas', () => {
  it('packs #rrggbb as ImageData bytes (R, G, B, A in memory order) and caches per colour array', () => {
    expect(rgba(colourWord('#1f77b4'))).toEqual([0x1f, 0x77, 0xb4, 255]);
    const px = new Uint8Array(new Uint32Array([colourWord('#ff7f0e')]).buffer);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) expect(Array.from(px)).toEqual([0xff, 0x7f, 0x0e, 255]);
    const cs = ['#000000', '#ffffff'];
    expect(colourWords(cs)).toBe(colourWords(cs));
    expect(colourWords('#ffffff')).toBe(0xffffffff);
  });

  it('a disc mask covers the centre fully, the corners little, and about pi r^2 in all', () => {
    const m = discMask(4);
    expect(m.size).toBe(4);
    expect(m.cover[1 * 4 + 1]).toBe(1);
    expect(m.cover[0]).toBeLessThan(0.5);
    const total = m.cover.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(Math.PI * 4 * 0.9);
    expect(total).toBeLessThan(Math.PI * 4 * 1.1);
  });

  it('places points by the ranges (y upwards), skips those out of view and NaN, later points over earlier ones', () => {
    const W = 20;
    const H = 10;
    const px = new Uint32Array(W * H).fill(0xdeadbeef); // cleared first
    const red = colourWord('#ff0000');
    const blue = colourWord('#0000ff');
    const frame = { x: [5, 5, 100, NaN, 0], y: [0, 0, 0, 1, 5], range: [[0, 10], [-5, 5]] as [[number, number], [number, number]] };
    const n = drawFrame(px, W, H, frame, new Uint32Array([red, blue, red, red, red]), discMask(4), 1);
    expect(n).toBe(3); // x = 100 is out of view, NaN is not drawn; (0, 5) sits on the top left corner
    // (5, 0) is the centre pixel area: the second point (blue) is drawn over the first
    expect(rgba(px[5 * W + 10])).toEqual([0, 0, 255, 255]);
    expect(rgba(px[4 * W + 9])).toEqual([0, 0, 255, 255]);
    // nothing elsewhere but the corner point's disc
    expect(px[9 * W + 19]).toBe(0);
    expect(rgba(px[0])).toEqual([255, 0, 0, 255]); // the corner point's disc, clipped to the image
  });

  it('blends with the opacity of the markers, source over', () => {
    const px = new Uint32Array(4 * 4);
    const frame = { x: [2, 2], y: [2, 2], range: [[0, 4], [0, 4]] as [[number, number], [number, number]] };
    drawFrame(px, 4, 4, frame, new Uint32Array([colourWord('#ff0000'), colourWord('#0000ff')]), discMask(4), 0.5);
    const [r, g, b, a] = rgba(px[1 * 4 + 1]);
    // alpha 0.5 + 0.5 * 0.5 = 0.75; blue weighted 0.5 / 0.75, red 0.25 / 0.75
    expect(Math.abs(a - 191)).toBeLessThanOrEqual(1); // 8-bit rounding of the first disc's alpha
    expect(b).toBeCloseTo(170, -1);
    expect(r).toBeCloseTo(85, -1);
    expect(g).toBe(0);
  });

  it('draws a selection as Plotly does: unselected points first with their opacity, selected ones over them', () => {
    const px = new Uint32Array(4 * 4);
    const frame = { x: [2, 2], y: [2, 2], range: [[0, 4], [0, 4]] as [[number, number], [number, number]] };
    const colours = new Uint32Array([colourWord('#ff0000'), colourWord('#0000ff')]);
    // the first point (red) selected: drawn over the second (blue, unselected) although it comes first
    const n = drawFrame(px, 4, 4, frame, colours, discMask(4), 1, { selected: new Uint8Array([1, 0]), unselectedOpacity: 0.1 });
    expect(n).toBe(2);
    expect(rgba(px[1 * 4 + 1])).toEqual([255, 0, 0, 255]);
    // none selected: both faint, blue (later) over red; alpha 0.1 + 0.1 * 0.9 = 0.19
    drawFrame(px, 4, 4, frame, colours, discMask(4), 1, { selected: new Uint8Array([0, 0]), unselectedOpacity: 0.1 });
    const [r, , b, a] = rgba(px[1 * 4 + 1]);
    expect(b).toBeGreaterThan(r);
    expect(Math.abs(a - 0.19 * 255)).toBeLessThanOrEqual(2);
  });
});

describe('plotlyAutorange', () => {
  it('leaves 5 % of the axis plus the markers\' padding free at each end, as Plotly\'s autorange does', () => {
    const [lo, hi] = plotlyAutorange([0, 4, 10, 7], 400, 3);
    const toPx = (v: number) => ((v - lo) / (hi - lo)) * 400;
    expect(toPx(0)).toBeCloseTo(0.05 * 400 + 3, 9);
    expect(400 - toPx(10)).toBeCloseTo(0.05 * 400 + 3, 9);
    expect(plotlyAutorange([2, 2], 400, 3)).toEqual([1, 3]); // one value: a unit either side
    expect(plotlyAutorange([NaN], 400, 3)).toEqual([-1, 6]); // nothing finite: Plotly's empty axis
  });
});
