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

/** The scattergl scene of a plot with one scattergl trace of n points and no selection drawn, or null. */
function sceneOf(gd: any, n: number): any {
  const scene = gd?._fullLayout?._plots?.xy?._scene;
  const trace = gd?.data?.[0];
  const full = gd?._fullData?.[0];
  if (!scene || typeof scene.scatter2d?.update !== 'function' || typeof scene.draw !== 'function') return null;
  if (!Array.isArray(scene.markerOptions) || scene.markerOptions.length !== 1 || !scene.markerOptions[0]) return null;
  if (!trace || trace.type !== 'scattergl' || !full || full.type !== 'scattergl') return null;
  if (!Array.isArray(trace.x) && !ArrayBuffer.isView(trace.x)) return null;
  if (trace.x.length !== n || scene.count !== 1) return null;
  // A lasso selection draws through select2d with its own colours: let Plotly handle that state.
  if (scene.selectBatch?.[0]?.length || scene.unselectBatch?.[0]?.length) return null;
  return scene;
}

/**
 * Redraws the scene as Plotly does after an update: clear the WebGL canvases first (Plotly's clearGlCanvases), else
 * the new frame is blended over the old one (markers have opacity < 1; moved points would leave trails).
 */
export function drawScene(gd: any, scene: any): void {
  gd._fullLayout._glcanvas?.each?.((c: any) => c?.regl?.clear?.({ color: true, depth: true }));
  scene.draw();
}

/**
 * The draw itself is issued just after the next frame, not now: with software WebGL (no GPU) the scatter's draw
 * costs the GPU process ~30 ms at 8950 points, and a frame that carries a WebGL draw issued in the same task waits
 * for it in its commit (the main thread blocked 50-100 ms, measured). Issued after the frame, the draw has the time
 * until the next one; several updates before it are drawn once.
 */
const queued = new Map<any, any>();
let scheduled = false;
let drawnHooks: (() => void)[] = [];
const afterFrame = new MessageChannel();
afterFrame.port1.onmessage = () => {
  scheduled = false;
  const all = [...queued];
  queued.clear();
  for (const [gd, scene] of all) if (gd._fullLayout?._plots?.xy?._scene === scene) drawScene(gd, scene);
  const hooks = drawnHooks;
  drawnHooks = [];
  hooks.forEach((h) => h());
};

/** Runs `fn` once the draws queued so far have been issued (at once when none is queued). */
export function afterDraw(fn: () => void): void {
  if (scheduled) drawnHooks.push(fn);
  else fn();
}

/** Queues the scene's redraw for just after the next frame. */
function redraw(gd: any, scene: any): void {
  queued.set(gd, scene);
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => afterFrame.port2.postMessage(null));
}

/** Pushes `colours` (one #rrggbb per point of trace 0) into the plot's scattergl layer and redraws it (after the next frame). */
export function recolourScattergl(gd: any, colours: string[]): boolean {
  const scene = sceneOf(gd, colours.length);
  if (!scene) return false;
  const trace = gd.data[0];
  const full = gd._fullData[0];
  const colour = new Array(colours.length);
  for (let i = 0; i < colours.length; i++) colour[i] = rgba(colours[i]); // regl-scatter2d takes an Array of [r,g,b,a]
  const opts = scene.markerOptions.map(() => null);
  opts[0] = { color: colour };
  scene.scatter2d.update(opts);
  scene.markerOptions[0].color = colour;
  redraw(gd, scene);
  // Keep Plotly's own copies in step, so hover labels and the next Plotly.react see the new colours.
  trace.marker.color = colours;
  if (full.marker) full.marker.color = colours;
  return true;
}
