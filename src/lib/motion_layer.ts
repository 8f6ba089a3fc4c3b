/**
 * A CPU-backed canvas over a Plotly scatter's plot area (motion_canvas.ts says why) that shows the points instead of
 * Plotly's WebGL layer:
 * - `still`: the figure's own points as Plotly has them (positions, colours, selection, axis ranges), redrawn after
 *   every Plotly draw, zoom or pan. Plotly keeps the figure (hover, lasso, zoom and the PNG export work on it); its
 *   WebGL layer is hidden (class `layered`), so no frame's commit waits for the software rasteriser to read it back
 *   (traced: 30-100 ms at 8950 points, 400-800 ms at 100,000 on this machine).
 * - `motion`: the frames of a moving t-SNE / UMAP layout, with its axis titles beside it. The plot element carries the
 *   class `moving`, under which Plotly's WebGL layer, ticks, grid, titles and hover labels are hidden (app.css):
 *   Plotly keeps the figure the motion started from and is not called at all until the layout stops.
 * - `drag`: the figure's own points in new colours while a slider is dragged (class `layered`: axes and hover stay
 *   valid). Plotly gets the colours when the drag pauses, and the layer goes back to `still`.
 */
import { colourWords, discMask, drawFrame, drawPass, drawPasses, warmUpDrawing, type DrawPassSpec, type Frame, type Selection } from './motion_canvas.ts';
import { nextTask } from './tasks.ts';
import { holdGl } from './gl_hold.ts';

/** A moving layout's frame with the titles of its axes. */
export interface Positions extends Frame {
  x: Float64Array;
  y: Float64Array;
  titles?: [string, string];
}

export type LayerMode = 'still' | 'motion' | 'drag';

/** Runs `f` when the page is idle (requestIdleCallback, else a short timeout). */
function whenIdle(f: () => void): void {
  const idle = (globalThis as any).requestIdleCallback as ((f: () => void) => void) | undefined;
  if (idle) idle(f);
  else setTimeout(f, 200);
}

export interface MarkerStyle {
  /** Diameter in CSS pixels. */
  size: number;
  opacity: number;
}

type Area = { l: number; t: number; w: number; h: number };

/** The plot area in CSS pixels from the plot element's top left corner (Plotly's _fullLayout._size, else the margins). */
function plotArea(gd: any, margin: { l: number; r: number; t: number; b: number }): Area {
  const s = gd?._fullLayout?._size;
  if (s && s.w > 0 && s.h > 0) return { l: s.l, t: s.t, w: s.w, h: s.h };
  return { l: margin.l, t: margin.t, w: Math.max(1, gd.clientWidth - margin.l - margin.r), h: Math.max(1, gd.clientHeight - margin.t - margin.b) };
}

/**
 * Points above which a frame is drawn in parts of this many, a task each: 100,000 points took 25 ms (quiet machine)
 * to 120 ms (cold code, or a loaded machine: traced) in one task.
 */
const SLICE_POINTS = 25_000;

/** What draw() was asked for. */
interface DrawRequest {
  frame: Frame & { titles?: [string, string] };
  colours: string[] | string;
  marker: MarkerStyle;
  margin: { l: number; r: number; t: number; b: number };
  mode: LayerMode;
  selection: Selection | null;
  onShown?: () => void;
}

/** A large frame being drawn in parts: its passes (all points; or the unselected, then the selected ones). */
interface Slicing {
  req: DrawRequest;
  words: ReturnType<typeof colourWords>;
  passes: DrawPassSpec[];
  pixels: Uint32Array;
  image: ImageData;
  w: number;
  h: number;
  n: number;
  pass: number;
  next: number;
  points: number;
  parts: number;
  area: Area;
}

/**
 * The range Plotly's autorange gives a scatter's axis of `lengthPx` pixels: the data's extent, with 5 % of the axis
 * plus `padPx` (the markers' own padding) left free at each end.
 */
export function plotlyAutorange(values: ArrayLike<number>, lengthPx: number, padPx: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return [-1, 6]; // no finite value (Plotly's empty axis)
  if (hi === lo) return [lo - 1, hi + 1];
  const pad = 0.05 + padPx / Math.max(lengthPx, 1);
  const total = (hi - lo) / (1 - 2 * pad);
  return [lo - pad * total, hi + pad * total];
}

export class MotionLayer {
  private canvas: HTMLCanvasElement | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  private image: ImageData | null = null;
  private titles: HTMLElement[] = [];
  private mask = discMask(4);
  private maskKey = '';
  /**
   * The frame on screen, its colours, how many frames were drawn, how many points lay in view, how many of them are
   * selected and in how many tasks the frame was drawn (tests, benchmarks).
   */
  drawn: { frame: Frame; colours: string[] | string; frames: number; points: number; selected: number; parts: number } | null = null;
  /** What the layer shows, null when hidden. */
  mode: LayerMode | null = null;
  private visible = false;
  private slicing: Slicing | null = null;
  /** The frame to draw once the one being drawn in parts is out. */
  private queued: DrawRequest | null = null;

  constructor(private readonly gd: HTMLElement) {
    // compile the drawing code while the page is idle, before a layout moves
    whenIdle(() => warmUpDrawing());
  }

  get showing(): boolean {
    return this.visible;
  }

  /** The plot area (CSS pixels) for these margins: Plotly's once it has drawn, else the element's size less them. */
  area(margin: { l: number; r: number; t: number; b: number }): Area {
    return plotArea(this.gd, margin);
  }

  /** The canvas over `area` with an image of its size (kept while the size stays). */
  private size(area: Area): void {
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(area.w * dpr));
    const h = Math.max(1, Math.round(area.h * dpr));
    const c = this.canvas!;
    Object.assign(c.style, { left: `${area.l}px`, top: `${area.t}px`, width: `${area.w}px`, height: `${area.h}px` });
    if (c.width !== w || c.height !== h || !this.image) {
      c.width = w;
      c.height = h;
      this.image = this.ctx!.createImageData(w, h);
    }
  }

  /**
   * Draws the frame with the scatter's colours over the plot area, showing the layer if hidden; `onShown` runs once it
   * is on the canvas (not if it is superseded before). Up to SLICE_POINTS points that is now (a few ms); a larger
   * frame is drawn in parts, a task each, and a frame asked for meanwhile waits for it (then the newest of them is
   * drawn: every frame asked for either shows or is superseded, and the picture keeps moving however fast they come).
   */
  draw(
    frame: Frame & { titles?: [string, string] },
    colours: string[] | string,
    marker: MarkerStyle,
    margin: { l: number; r: number; t: number; b: number },
    mode: LayerMode,
    selection: Selection | null = null,
    onShown?: () => void,
  ): void {
    const req: DrawRequest = { frame, colours, marker, margin, mode, selection, onShown };
    this.mode = mode; // what the layer is for from now on
    const n = Math.min(frame.x.length, frame.y.length);
    if (n > SLICE_POINTS && this.slicing) {
      this.queued = req; // (one queued before is superseded: it never shows, and its onShown never runs)
      return;
    }
    this.slicing = null;
    this.queued = null;
    const area = plotArea(this.gd, margin);
    const dpr = globalThis.devicePixelRatio || 1;
    if (!this.canvas) this.open();
    this.size(area);
    const key = `${marker.size * dpr}`;
    if (key !== this.maskKey) {
      this.mask = discMask(marker.size * dpr);
      this.maskKey = key;
    }
    const pixels = new Uint32Array(this.image!.data.buffer);
    const words = colourWords(colours);
    if (n <= SLICE_POINTS) {
      const points = drawFrame(pixels, this.canvas!.width, this.canvas!.height, frame, words, this.mask, marker.opacity, selection);
      this.ctx!.putImageData(this.image!, 0, 0);
      this.shown(req, area, points, 1);
      onShown?.();
      return;
    }
    pixels.fill(0);
    const job: Slicing = { req, words, passes: drawPasses(marker.opacity, selection), pixels, image: this.image!, w: this.canvas!.width, h: this.canvas!.height, n, pass: 0, next: 0, points: 0, parts: 0, area };
    this.slicing = job;
    this.drawSlice(job);
  }

  /** Draws the next SLICE_POINTS points of a large frame; the last part puts the image on the canvas. */
  private drawSlice(job: Slicing): void {
    if (this.slicing !== job) return;
    let budget = SLICE_POINTS;
    while (budget > 0 && job.pass < job.passes.length) {
      const p = job.passes[job.pass];
      const end = Math.min(job.n, job.next + budget);
      job.points += drawPass(job.pixels, job.w, job.h, job.req.frame, job.words, this.mask, p.opacity, p.only, p.want, job.next, end);
      budget -= end - job.next;
      job.next = end;
      if (end >= job.n) {
        job.pass++;
        job.next = 0;
      }
    }
    job.parts++;
    if (job.pass < job.passes.length) {
      nextTask(() => this.drawSlice(job));
      return;
    }
    this.slicing = null;
    // (resized meanwhile, the image is stale: the next frame draws at the new size)
    if (this.image === job.image) {
      this.ctx!.putImageData(job.image, 0, 0);
      this.shown(job.req, job.area, job.points, job.parts);
    }
    job.req.onShown?.();
    const q = this.queued;
    this.queued = null;
    if (q) this.draw(q.frame, q.colours, q.marker, q.margin, q.mode, q.selection, q.onShown);
  }

  /** The layer shows what was just put on its canvas. */
  private shown(req: DrawRequest, area: Area, points: number, parts: number): void {
    const { frame, colours, mode, selection } = req;
    this.stack();
    if (!this.visible) {
      this.canvas!.style.display = '';
      this.titles.forEach((t) => (t.style.display = ''));
      this.visible = true;
    }
    this.placeTitles(mode === 'motion' ? frame.titles : undefined, area);
    let selected = 0;
    if (selection) for (let i = 0; i < selection.selected.length; i++) selected += selection.selected[i];
    this.drawn = { frame, colours, frames: (this.drawn?.frames ?? 0) + 1, points, selected, parts };
    this.mode = mode;
    this.gd.classList.toggle('moving', mode === 'motion');
    this.gd.classList.toggle('layered', mode !== 'motion');
    holdGl(this.gd, true); // Plotly's WebGL points are hidden: its draws need not upload them
  }

  /** Hides the layer (kept for the next time): Plotly's own drawing shows again. */
  hide(): void {
    this.slicing = null;
    this.queued = null;
    if (this.canvas) this.canvas.style.display = 'none';
    this.titles.forEach((t) => (t.style.display = 'none'));
    this.visible = false;
    this.drawn = null;
    this.mode = null;
    this.gd.classList.remove('moving', 'layered');
    holdGl(this.gd, false); // Plotly's WebGL points show again: what it was given meanwhile is drawn now
  }

  private open(): void {
    const c = document.createElement('canvas');
    c.className = 'motion-layer';
    c.setAttribute('aria-hidden', 'true');
    // in memory, not in the GPU process: nothing for the compositor to read back (see motion_canvas.ts)
    this.ctx = c.getContext('2d', { willReadFrequently: true });
    (c as any).__layer = this; // tests and benchmarks read what is drawn
    c.style.display = 'none';
    this.gd.appendChild(c);
    this.canvas = c;
    this.titles = ['x', 'y'].map((a) => {
      const t = document.createElement('div');
      t.className = `motion-title motion-title-${a}`;
      t.style.display = 'none';
      this.gd.appendChild(t);
      return t;
    });
  }

  /**
   * Puts the canvas where Plotly's WebGL points would be: just after its WebGL container, under the SVG layer that
   * holds the hover labels, the lasso and the zoom box (appended to the plot, it covered the hover labels). Before
   * Plotly's first draw (a preview) it stays on the plot element.
   */
  private stack(): void {
    const c = this.canvas!;
    const gl = this.gd.querySelector('.gl-container');
    if (gl && c.previousElementSibling !== gl) gl.after(c);
  }

  private placeTitles(titles: [string, string] | undefined, area: Area): void {
    const [tx, ty] = this.titles;
    if (!tx || !ty) return;
    tx.textContent = titles?.[0] ?? '';
    ty.textContent = titles?.[1] ?? '';
    Object.assign(tx.style, { left: `${area.l + area.w / 2}px`, top: `${area.t + area.h + 14}px` });
    Object.assign(ty.style, { left: `${Math.max(12, area.l - 22)}px`, top: `${area.t + area.h / 2}px` });
  }
}
