/**
 * While the CPU layer (motion_layer.ts) shows a scatter's points, Plotly's WebGL layer is hidden, yet every Plotly draw
 * still hands the scattergl trace's points to regl-scatter2d: positions to float32 buffers, the point-cluster tree,
 * per-point colours to a palette. That is half of a full redraw at 8950 points (traced: the redraw that ends a t-SNE
 * run, 120-200 ms), all for a canvas nobody sees. Held, the scene's regl-scatter2d instances keep the options they are
 * given (merged per trace, the newest value of each option) and skip their draws; released (the layer hides and
 * Plotly's canvas shows again), they apply them and the scene is drawn.
 *
 * Like fast_recolour.ts this relies on Plotly internals (`_fullLayout._plots.xy._scene`, regl-scatter2d's bound
 * `update` / `draw`); it checks their shape and leaves anything else alone (Plotly then draws as before).
 * test/e2e/point_layer.test.ts flushes the held options and compares Plotly's canvas with the layer.
 */

import { drawScene } from './fast_recolour.ts';

type Options = Record<string, unknown>;

interface Hold {
  update: (...args: unknown[]) => unknown;
  draw: (...args: unknown[]) => unknown;
  /** Per trace: the merged options not applied yet (undefined: none for that trace); null: nothing pending. */
  pending: (Options | undefined)[] | null;
}

interface HeldPlot extends HTMLElement {
  __glHeld?: boolean;
}

/** regl-scatter2d's forms of one trace's options, as an options object (its update() reads them so). */
function optionsOf(o: unknown): Options | undefined {
  if (o === undefined) return undefined;
  if (o === null) return { positions: null };
  if (typeof o === 'function') return { ondraw: o };
  if (Array.isArray(o) || ArrayBuffer.isView(o)) return { positions: o };
  return o as Options;
}

/** Merges one update() call into the pending options (regl-scatter2d reads one array, or one argument per trace). */
function merge(h: Hold, args: unknown[]): void {
  const perTrace = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const next: (Options | undefined)[] = [];
  for (let i = 0; i < perTrace.length; i++) {
    const o = optionsOf(perTrace[i]);
    const before = h.pending?.[i];
    // a copy: Plotly reuses and changes its option objects; each call's values are the ones it meant
    next[i] = o === undefined ? before : { ...before, ...o };
  }
  // as update() does, the call's length is the number of traces from now on
  h.pending = next;
}

/** Wraps a regl-scatter2d instance of `gd`'s scene once; false when it has not the shape this expects. */
function wrap(gd: HeldPlot, inst: any): boolean {
  if (!inst || typeof inst.update !== 'function' || typeof inst.draw !== 'function') return false;
  if (inst.__hold) return true;
  const h: Hold = { update: inst.update, draw: inst.draw, pending: null };
  inst.__hold = h;
  inst.update = (...args: unknown[]) => {
    if (!gd.__glHeld) return h.update(...args);
    merge(h, args);
    return inst;
  };
  inst.draw = (...args: unknown[]) => (gd.__glHeld ? inst : h.draw(...args));
  return true;
}

/** The scene's point instances (the points, and the selected points of a lasso), wrapped. */
function instances(gd: any): any[] {
  const scene = gd?._fullLayout?._plots?.xy?._scene;
  if (!scene) return [];
  return [scene.scatter2d, scene.select2d].filter((i) => wrap(gd, i));
}

/**
 * Applies what the instances kept, then draws the scene: Plotly cleared its canvas on each draw meanwhile, whose
 * points were skipped, even when nothing new was given.
 */
function apply(gd: any): void {
  const held = instances(gd);
  for (const inst of held) {
    const h: Hold = inst.__hold;
    if (!h.pending) continue;
    const p = h.pending;
    h.pending = null;
    h.update(p);
  }
  const scene = gd?._fullLayout?._plots?.xy?._scene;
  if (held.length && typeof scene?.draw === 'function') drawScene(gd, scene);
}

/**
 * Holds (true) or releases (false) the WebGL points of `gd`'s scattergl scene: held while the CPU layer covers them.
 * Call it again after a Plotly draw that may have made a new scene or instance (idempotent).
 */
export function holdGl(gd: HTMLElement, held: boolean): void {
  const p = gd as HeldPlot;
  const was = !!p.__glHeld;
  p.__glHeld = held;
  instances(gd);
  if (was && !held) apply(gd);
  // tests read Plotly's canvas as it would be drawn
  (gd as any).__flushGl ??= () => {
    const h = p.__glHeld;
    p.__glHeld = false;
    apply(gd);
    p.__glHeld = h;
  };
}
