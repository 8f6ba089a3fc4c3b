/**
 * The colour-only update path of the main scatter. Plotly's public update paths cost 26-65 ms of main-thread
 * JavaScript at 8950 points (../shared/notes/plotly_recolour.md); writing the colours straight into the scattergl
 * layer's regl-scatter2d buffer costs about 2 ms. This relies on Plotly internals (`_fullLayout._plots.xy._scene`),
 * so it checks the shape it expects and answers false when anything differs: the caller then uses Plotly.react.
 * test/e2e/recolour.test.ts fails loudly if a Plotly upgrade makes this path unusable.
 */
const rgbaCache = new Map<string, [number, number, number, number]>();

function rgba(css: string): [number, number, number, number] {
  let c = rgbaCache.get(css);
  if (!c) {
    const h = css.replace('#', '');
    c = [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 255];
    if (c.some((v) => Number.isNaN(v))) throw new Error(`fast recolour takes #rrggbb colours (got ${css})`);
    rgbaCache.set(css, c);
  }
  return c;
}

export type RecolourPath = 'fast' | 'react';

/** Pushes `colours` (one #rrggbb per point of trace 0) into the plot's scattergl layer and redraws it. */
export function recolourScattergl(gd: any, colours: string[]): boolean {
  const scene = gd?._fullLayout?._plots?.xy?._scene;
  const trace = gd?.data?.[0];
  const full = gd?._fullData?.[0];
  if (!scene || typeof scene.scatter2d?.update !== 'function' || typeof scene.draw !== 'function') return false;
  if (!Array.isArray(scene.markerOptions) || scene.markerOptions.length !== 1 || !scene.markerOptions[0]) return false;
  if (!trace || trace.type !== 'scattergl' || !full || full.type !== 'scattergl') return false;
  if (!Array.isArray(trace.x) && !ArrayBuffer.isView(trace.x)) return false;
  if (trace.x.length !== colours.length || scene.count !== 1) return false;
  // A lasso selection draws through select2d with its own colours: let Plotly handle that state.
  if (scene.selectBatch?.[0]?.length || scene.unselectBatch?.[0]?.length) return false;
  const colour = new Array(colours.length);
  for (let i = 0; i < colours.length; i++) colour[i] = rgba(colours[i]); // regl-scatter2d takes an Array of [r,g,b,a]
  const opts = scene.markerOptions.map(() => null);
  opts[0] = { color: colour };
  scene.scatter2d.update(opts);
  scene.markerOptions[0].color = colour;
  scene.draw();
  // Keep Plotly's own copies in step, so hover labels and the next Plotly.react see the new colours.
  trace.marker.color = colours;
  if (full.marker) full.marker.color = colours;
  return true;
}
