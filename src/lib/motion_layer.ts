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
import { colourWords, discMask, drawFrame, drawPass, warmUpDrawing, type Frame, type Selection } from './motion_canvas.ts';

/** A moving layout's frame with the titles of its axes. */
export interface Positions extends Frame {
  x: Float64Array;
  y: Float64Array;
  titles?: [string, string];
}

export type LayerMode = 'still' | 'motion' | 'drag';

/** Runs `f` when the page is idle (requestIdleCallback, else a short timeout). */
export function whenIdle(f: () => void): void {
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
 * Points above which a moving layout's frame is drawn in parts of this many, one task each: 100,000 points took
 * 25 ms (quiet machine) to 120 ms (cold code, t-SNE's worker on the other core) in one task.
 */
const SLICE_POINTS = 25_000;

/** A moving frame being drawn in parts. */
interface Slicing {
  frame: Frame & { titles?: [string, string] };
  colours: string[] | string;
  words: ReturnType<typeof colourWords>;
  opacity: number;
  pixels: Uint32Array;
  image: ImageData;
  w: number;
  h: number;
  n: number;
  next: number;
  points: number;
  area: Area;
}

/** Runs `f` in a task of its own, soon (a message to itself: no timer clamping), so input and frames come between. */
let taskPort: MessagePort | null = null;
const taskQueue: (() => void)[] = [];
function nextTask(f: () => void): void {
  if (!taskPort) {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => taskQueue.shift()?.();
    taskPort = ch.port2;
  }
  taskQueue.push(f);
  taskPort.postMessage(0);
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

  constructor(private readonly gd: HTMLElement) {
    // compile the drawing code while the page is idle, before a layout moves
    whenIdle(() => warmUpDrawing());
  }

  get showing(): boolean {
    return this.visible;
  }

  /**
   * Creates the canvas (hidden) and its image at the plot area's size ahead of the first draw: made at the first
   * slider move they cost that move 20-50 ms (element, context, a 2 MB image, first layout).
   */
  prepare(margin: { l: number; r: number; t: number; b: number }): void {
    if (!this.canvas) this.open();
    this.size(plotArea(this.gd, margin));
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

  /** Draws the frame (now: a few ms) with the scatter's colours over the plot area, showing the layer if hidden. */
  draw(
    frame: Frame & { titles?: [string, string] },
    colours: string[] | string,
    marker: MarkerStyle,
    margin: { l: number; r: number; t: number; b: number },
    mode: LayerMode,
    selection: Selection | null = null,
  ): void {
    const area = plotArea(this.gd, margin);
    const dpr = globalThis.devicePixelRatio || 1;
    if (!this.canvas) this.open();
    this.size(area);
    const w = this.canvas!.width;
    const h = this.canvas!.height;
    const key = `${marker.size * dpr}`;
    if (key !== this.maskKey) {
      this.mask = discMask(marker.size * dpr);
      this.maskKey = key;
    }
    this.slicing = null; // a frame still being drawn in parts is superseded
    const pixels = new Uint32Array(this.image!.data.buffer);
    const words = colourWords(colours);
    const n = Math.min(frame.x.length, frame.y.length);
    if (mode === 'motion' && n > SLICE_POINTS) {
      pixels.fill(0);
      const job: Slicing = { frame, colours, words, opacity: marker.opacity, pixels, image: this.image!, w, h, n, next: 0, points: 0, area };
      this.slicing = job;
      this.mode = mode; // what the layer is for from now on (it shows the frame once drawn)
      this.drawSlice(job);
      return;
    }
    const points = drawFrame(pixels, w, h, frame, words, this.mask, marker.opacity, selection);
    this.ctx!.putImageData(this.image!, 0, 0);
    this.shown(frame, colours, mode, area, points, selection, 1);
  }

  /** Draws the next SLICE_POINTS points of a large moving frame; the last part puts the image on the canvas. */
  private drawSlice(job: Slicing): void {
    if (this.slicing !== job) return;
    const end = Math.min(job.n, job.next + SLICE_POINTS);
    job.points += drawPass(job.pixels, job.w, job.h, job.frame, job.words, this.mask, job.opacity, null, 0, job.next, end);
    job.next = end;
    if (end < job.n) {
      nextTask(() => this.drawSlice(job));
      return;
    }
    this.slicing = null;
    if (this.image !== job.image) return; // resized meanwhile: the next frame draws at the new size
    this.ctx!.putImageData(job.image, 0, 0);
    this.shown(job.frame, job.colours, 'motion', job.area, job.points, null, Math.ceil(job.n / SLICE_POINTS));
  }

  /** The layer shows what was just put on its canvas. */
  private shown(
    frame: Frame & { titles?: [string, string] },
    colours: string[] | string,
    mode: LayerMode,
    area: Area,
    points: number,
    selection: Selection | null,
    parts: number,
  ): void {
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
  }

  /** Hides the layer (kept for the next time): Plotly's own drawing shows again. */
  hide(): void {
    this.slicing = null;
    if (this.canvas) this.canvas.style.display = 'none';
    this.titles.forEach((t) => (t.style.display = 'none'));
    this.visible = false;
    this.drawn = null;
    this.mode = null;
    this.gd.classList.remove('moving', 'layered');
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

  private placeTitles(titles: [string, string] | undefined, area: Area): void {
    const [tx, ty] = this.titles;
    if (!tx || !ty) return;
    tx.textContent = titles?.[0] ?? '';
    ty.textContent = titles?.[1] ?? '';
    Object.assign(tx.style, { left: `${area.l + area.w / 2}px`, top: `${area.t + area.h + 14}px` });
    Object.assign(ty.style, { left: `${Math.max(12, area.l - 22)}px`, top: `${area.t + area.h / 2}px` });
  }
}
