/**
 * A CPU-backed canvas over a Plotly scatter's plot area (motion_canvas.ts says why) that shows the points instead of
 * Plotly's WebGL layer for a while:
 * - `motion`: the frames of a moving t-SNE / UMAP layout, with its axis titles beside it. The plot element carries the
 *   class `moving`, under which Plotly's WebGL layer, ticks, grid, titles and hover labels are hidden (app.css):
 *   Plotly keeps the figure the motion started from and is not called at all until the layout stops.
 * - `drag`: the figure's own points in new colours while a slider is dragged (class `layered`: only Plotly's WebGL
 *   layer is hidden; axes and hover stay valid). Plotly gets the colours when the drag pauses.
 */
import { colourWords, discMask, drawFrame, warmUpDrawing, type Frame } from './motion_canvas.ts';

/** A moving layout's frame with the titles of its axes. */
export interface Positions extends Frame {
  x: Float64Array;
  y: Float64Array;
  titles?: [string, string];
}

export type LayerMode = 'motion' | 'drag';

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

/** The plot area in CSS pixels from the plot element's top left corner (Plotly's _fullLayout._size, else the margins). */
function plotArea(gd: any, margin: { l: number; r: number; t: number; b: number }): { l: number; t: number; w: number; h: number } {
  const s = gd?._fullLayout?._size;
  if (s && s.w > 0 && s.h > 0) return { l: s.l, t: s.t, w: s.w, h: s.h };
  return { l: margin.l, t: margin.t, w: Math.max(1, gd.clientWidth - margin.l - margin.r), h: Math.max(1, gd.clientHeight - margin.t - margin.b) };
}

export class MotionLayer {
  private canvas: HTMLCanvasElement | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  private image: ImageData | null = null;
  private titles: HTMLElement[] = [];
  private mask = discMask(4);
  private maskKey = '';
  /** The frame on screen, its colours, how many frames were drawn and how many points lay in view (tests, benchmarks). */
  drawn: { frame: Frame; colours: string[] | string; frames: number; points: number } | null = null;
  /** What the layer shows, null when hidden. */
  mode: LayerMode | null = null;
  private visible = false;

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
  private size(area: { l: number; t: number; w: number; h: number }): void {
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
    const pixels = new Uint32Array(this.image!.data.buffer);
    const points = drawFrame(pixels, w, h, frame, colourWords(colours), this.mask, marker.opacity);
    this.ctx!.putImageData(this.image!, 0, 0);
    if (!this.visible) {
      this.canvas!.style.display = '';
      this.titles.forEach((t) => (t.style.display = ''));
      this.visible = true;
    }
    this.placeTitles(mode === 'motion' ? frame.titles : undefined, area);
    this.drawn = { frame, colours, frames: (this.drawn?.frames ?? 0) + 1, points };
    this.mode = mode;
    this.gd.classList.toggle('moving', mode === 'motion');
    this.gd.classList.toggle('layered', mode === 'drag');
  }

  /** Hides the layer (kept for the next time): Plotly's own drawing shows again. */
  hide(): void {
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

  private placeTitles(titles: [string, string] | undefined, area: { l: number; t: number; w: number; h: number }): void {
    const [tx, ty] = this.titles;
    if (!tx || !ty) return;
    tx.textContent = titles?.[0] ?? '';
    ty.textContent = titles?.[1] ?? '';
    Object.assign(tx.style, { left: `${area.l + area.w / 2}px`, top: `${area.t + area.h + 14}px` });
    Object.assign(ty.style, { left: `${Math.max(12, area.l - 22)}px`, top: `${area.t + area.h / 2}px` });
  }
}
