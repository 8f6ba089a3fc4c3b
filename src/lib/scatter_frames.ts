/**
 * What the point layer over a scatter (motion_layer.ts) draws, read off Plotly's figure: trace 0's points as Plotly
 * holds them (positions, axis ranges, selection), in the colours the plot was given. Pure functions of the plot
 * element's state (`gd`, Plotly's internals `_fullLayout`), the figure and the colours.
 */
import type { Frame, Selection } from './motion_canvas.ts';
import { plotlyAutorange, type MarkerStyle } from './motion_layer.ts';

/** A frame for MotionLayer.draw with its colours, marker style and selection. */
export interface LayerFrame {
  frame: Frame & { titles?: [string, string] };
  colours: string[] | string;
  marker: MarkerStyle;
  selection: Selection | null;
}

type Range2 = [[number, number], [number, number]];

const marker = (t: any): MarkerStyle => ({ size: t.marker?.size ?? 4, opacity: t.marker?.opacity ?? 1 });

/** The plot's colours when they fit trace `t` (one per point, or one for all), else `fallback`. */
function coloursFor(t: any, colours: string[] | string | null, fallback: string[] | string): string[] | string {
  return colours !== null && (typeof colours === 'string' || colours.length === t.x.length) ? colours : fallback;
}

const selectionCache = new WeakMap<number[], Uint8Array>();

/** Trace `t`'s selection (or `points`, a lasso under way) as the layer draws it: selected points flagged. */
export function selectionOf(t: any, points: number[] | null = null): Selection | null {
  const sel: number[] | undefined = points ?? t?.selectedpoints;
  if (!Array.isArray(sel) || !t?.x) return null;
  let flags = selectionCache.get(sel);
  if (!flags || flags.length !== t.x.length) {
    flags = new Uint8Array(t.x.length);
    for (const i of sel) if (i >= 0 && i < flags.length) flags[i] = 1;
    selectionCache.set(sel, flags);
  }
  return { selected: flags, unselectedOpacity: t.unselected?.marker?.opacity ?? 0.2 };
}

/** A drawn 2-D scattergl trace 0 on linear axes, with Plotly's axis ranges; null otherwise. */
function drawnTrace(gd: any): { t: any; range: Range2 } | null {
  const t = gd?.data?.[0];
  const fl = gd?._fullLayout;
  if (t?.type !== 'scattergl' || !t.x || !t.y || fl?.xaxis?.type !== 'linear' || fl?.yaxis?.type !== 'linear') return null;
  const xr = fl.xaxis.range;
  const yr = fl.yaxis.range;
  if (!xr || !yr) return null;
  return { t, range: [[+xr[0], +xr[1]], [+yr[0], +yr[1]]] };
}

/**
 * Trace 0 as Plotly holds it, in `colours` (else Plotly's own); with the ranges of a zoom or pan under way (a
 * `plotly_relayouting` event) and the points of a lasso under way when given. Null when the plot is not a drawn 2-D
 * scattergl figure on linear axes.
 */
export function stillFrame(gd: any, colours: string[] | string | null, lasso: number[] | null = null, relayouting: any = null): LayerFrame | null {
  const d = drawnTrace(gd);
  if (!d) return null;
  const { t, range } = d;
  const axis = (a: 'xaxis' | 'yaxis', r: [number, number]): [number, number] => [
    +(relayouting?.[`${a}.range[0]`] ?? relayouting?.[`${a}.range`]?.[0] ?? r[0]),
    +(relayouting?.[`${a}.range[1]`] ?? relayouting?.[`${a}.range`]?.[1] ?? r[1]),
  ];
  return {
    frame: { x: t.x, y: t.y, range: [axis('xaxis', range[0]), axis('yaxis', range[1])] },
    colours: coloursFor(t, colours, t.marker?.color ?? '#1f77b4'),
    marker: marker(t),
    selection: selectionOf(t, lasso),
  };
}

/**
 * The figure's trace 0 (`figureTrace`, the same points Plotly holds) in new colours, one per point, while a slider
 * is dragged; null when Plotly holds other points or the colours do not fit.
 */
export function dragFrame(gd: any, figureTrace: any, colours: string[] | string | null): LayerFrame | null {
  const d = drawnTrace(gd);
  if (!d || !Array.isArray(colours) || figureTrace?.x !== d.t.x || colours.length !== d.t.x.length) return null;
  return { frame: { x: d.t.x, y: d.t.y, range: d.range }, colours, marker: marker(d.t), selection: selectionOf(d.t) };
}

/**
 * A figure's new trace 0 before Plotly has drawn it, in a plot area of `areaW` x `areaH` pixels: in the layout's
 * fixed ranges, else in those Plotly's autorange will give; its axis titles along (the layer writes them while
 * Plotly's old axes are hidden). Null for what the layer cannot show (not 2-D scattergl, log axes, no points).
 */
export function previewFrame(figure: { data: any[]; layout: any }, areaW: number, areaH: number, colours: string[] | string | null): LayerFrame | null {
  const t = figure.data[0];
  const { xaxis = {}, yaxis = {} } = figure.layout;
  if (t?.type !== 'scattergl' || !t.x?.length || !t.y) return null;
  if ((xaxis.type && xaxis.type !== 'linear') || (yaxis.type && yaxis.type !== 'linear')) return null;
  const m = marker(t);
  const fixed = (a: any): [number, number] | null => (a.autorange === false && Array.isArray(a.range) ? [+a.range[0], +a.range[1]] : null);
  // (Plotly pads by the marker's radius and 1 px: measured, its ranges then agree to well under a pixel)
  const pad = m.size / 2 + 1;
  const title = (a: any) => String(a.title?.text ?? a.title ?? '');
  return {
    frame: {
      x: t.x,
      y: t.y,
      range: [fixed(xaxis) ?? plotlyAutorange(t.x, areaW, pad), fixed(yaxis) ?? plotlyAutorange(t.y, areaH, pad)],
      titles: [title(xaxis), title(yaxis)],
    },
    colours: coloursFor(t, colours, '#9aa3ad'),
    marker: m,
    selection: null,
  };
}
