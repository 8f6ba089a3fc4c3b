/**
 * A scatter's points (the still figure, a slider drag's colours, the frames of a moving t-SNE / UMAP layout), drawn
 * into a CPU-backed 2-D canvas over the plot area (motion_layer.ts).
 *
 * Why not the scatter's own WebGL layer: without a GPU (headless Chromium, SwiftShader) the compositor reads a
 * changed, visible WebGL canvas back in the frame's commit and the main thread waits for the software draw: 23-36 ms
 * per frame at 8950 points on a quiet machine, 100-400 ms while the t-SNE worker and the page share 2 cores (traced:
 * Commit -> GLES2::ReadPixels -> Finish). A canvas created with `willReadFrequently` lives in memory: the frame below
 * is written pixel by pixel (~1-2 ms at 8950 points) and the commit only copies it.
 */

/** Where the points are, and the x / y data ranges the plot area shows. */
export interface Frame {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  range: [[number, number], [number, number]];
}

/** One colour per point as 0xAABBGGRR words (ImageData's byte order on little-endian machines), or one for all. */
export type ColourWords = Uint32Array | number;

const wordCache = new WeakMap<string[], Uint32Array>();
const cssCache = new Map<string, number>();

/** '#rrggbb' as an opaque 0xAABBGGRR word. */
export function colourWord(css: string): number {
  let w = cssCache.get(css);
  if (w === undefined) {
    const m = /^#([0-9a-f]{6})$/i.exec(css.trim());
    const v = m ? parseInt(m[1], 16) : 0x888888;
    w = (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
    cssCache.set(css, w);
  }
  return w;
}

/** Colour words for the scatter's colours (one '#rrggbb' per point, or one for all); cached per array. */
export function colourWords(colours: string[] | string): ColourWords {
  if (typeof colours === 'string') return colourWord(colours);
  let words = wordCache.get(colours);
  if (!words) {
    words = new Uint32Array(colours.length);
    for (let i = 0; i < colours.length; i++) words[i] = colourWord(colours[i]);
    wordCache.set(colours, words);
  }
  return words;
}

/** A round marker of `diameter` pixels: per pixel of its square, the share of the pixel the disc covers (0-1). */
export function discMask(diameter: number): { size: number; cover: Float32Array } {
  const size = Math.max(1, Math.ceil(diameter));
  const cover = new Float32Array(size * size);
  const r = diameter / 2;
  const c = size / 2;
  const S = 4; // 4 x 4 subsamples per pixel
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let inside = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const dx = px + (sx + 0.5) / S - c;
          const dy = py + (sy + 0.5) / S - c;
          if (dx * dx + dy * dy <= r * r) inside++;
        }
      }
      cover[py * size + px] = inside / (S * S);
    }
  }
  return { size, cover };
}

/** A lasso selection: 1 per selected point; the others are drawn first, with `unselectedOpacity` (as Plotly does). */
export interface Selection {
  selected: Uint8Array;
  unselectedOpacity: number;
}

/**
 * Draws the frame's points into `pixels` (width x height, row-major, 0xAABBGGRR, cleared first) as discs of `mask`
 * with `opacity`, later points over earlier ones, as Plotly draws markers; with a selection, the unselected points
 * first with their own opacity, then the selected ones over them. x grows to the right, y upwards; points outside the
 * ranges are not drawn. Answers the number of points drawn.
 */
export function drawFrame(
  pixels: Uint32Array,
  width: number,
  height: number,
  frame: Frame,
  colours: ColourWords,
  mask: { size: number; cover: Float32Array },
  opacity: number,
  selection: Selection | null = null,
): number {
  pixels.fill(0);
  let drawn = 0;
  for (const p of drawPasses(opacity, selection)) drawn += drawPass(pixels, width, height, frame, colours, mask, p.opacity, p.only, p.want);
  return drawn;
}

/** One pass of drawPass over a frame: the points whose `only` flag equals `want` (all for null), at `opacity`. */
export interface DrawPassSpec {
  only: Uint8Array | null;
  want: number;
  opacity: number;
}

/** The passes that draw a frame: all points; or, with a selection, the unselected ones, then the selected ones. */
export function drawPasses(opacity: number, selection: Selection | null): DrawPassSpec[] {
  if (!selection) return [{ only: null, want: 0, opacity }];
  return [
    { only: selection.selected, want: 0, opacity: selection.unselectedOpacity },
    { only: selection.selected, want: 1, opacity },
  ];
}

/**
 * Draws points `from` to `to` of the frame over what `pixels` holds (those whose `only` flag equals `want`, or all):
 * drawFrame's work in parts, for a frame too large to draw in one task. Answers the number of points drawn.
 */
export function drawPass(
  pixels: Uint32Array,
  width: number,
  height: number,
  frame: Frame,
  colours: ColourWords,
  mask: { size: number; cover: Float32Array },
  opacity: number,
  only: Uint8Array | null,
  want: number,
  from = 0,
  to = Infinity,
): number {
  const [[x0, x1], [y0, y1]] = frame.range;
  const sx = width / (x1 - x0);
  const sy = height / (y1 - y0);
  const n = Math.min(frame.x.length, frame.y.length, to);
  const { size, cover } = mask;
  const half = size / 2;
  const single = typeof colours === 'number' ? colours : 0;
  const perPoint = typeof colours === 'number' ? null : colours;
  let drawn = 0;
  for (let i = from; i < n; i++) {
    if (only !== null && only[i] !== want) continue;
    const fx = (frame.x[i] - x0) * sx;
    const fy = (y1 - frame.y[i]) * sy;
    if (!(fx >= 0 && fx <= width && fy >= 0 && fy <= height)) continue; // NaN too
    drawn++;
    const col = perPoint ? perPoint[i] : single;
    const r = col & 0xff;
    const g = (col >>> 8) & 0xff;
    const b = (col >>> 16) & 0xff;
    const left = Math.round(fx - half);
    const top = Math.round(fy - half);
    for (let my = 0; my < size; my++) {
      const y = top + my;
      if (y < 0 || y >= height) continue;
      const row = y * width;
      for (let mx = 0; mx < size; mx++) {
        const x = left + mx;
        if (x < 0 || x >= width) continue;
        const a = cover[my * size + mx] * opacity;
        if (a <= 0) continue;
        const k = row + x;
        const dst = pixels[k];
        if (dst === 0) {
          // an empty pixel (most of them): the colour with the marker's alpha
          pixels[k] = (((a * 255 + 0.5) << 24) | (col & 0xffffff)) >>> 0;
          continue;
        }
        const da = (dst >>> 24) / 255;
        // "source over" in straight alpha
        const oa = a + da * (1 - a);
        const inv = 1 / oa;
        const wd = da * (1 - a) * inv;
        const ws = a * inv;
        const or = r * ws + (dst & 0xff) * wd;
        const og = g * ws + ((dst >>> 8) & 0xff) * wd;
        const ob = b * ws + ((dst >>> 16) & 0xff) * wd;
        pixels[k] = (((oa * 255 + 0.5) << 24) | ((ob + 0.5) << 16) | ((og + 0.5) << 8) | (or + 0.5)) >>> 0;
      }
    }
  }
  return drawn;
}

let warmed = false;

/**
 * Runs drawFrame on a small made-up frame (40 times, enough for V8 to optimise it), so that the first real frame (as a
 * layout starts to move, or a drag starts) runs compiled code: cold, the first 8950-point frame took ~60 ms of the main
 * thread (traced), warm ~2 ms.
 */
export function warmUpDrawing(): void {
  if (warmed) return;
  warmed = true;
  const n = 2000;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (i * 0.618) % 1;
    y[i] = (i * 0.382) % 1;
  }
  const pixels = new Uint32Array(64 * 64);
  const colours = new Uint32Array(n).fill(colourWord('#1f77b4'));
  const mask = discMask(4);
  for (let r = 0; r < 40; r++) drawFrame(pixels, 64, 64, { x, y, range: [[0, 1], [0, 1]] }, colours, mask, 0.85);
}
