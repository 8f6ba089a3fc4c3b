/**
 * Plotly figures and tables of the Explore tab, built from the worker's answers and the prepared data (pure functions:
 * no state, no DOM). Every string from the data (column names) goes through plotText.
 *
 * Log scale: the axis is logarithmic and a value x is drawn at 1 + x, so zeros (common in money columns) sit at the
 * bottom instead of vanishing; the ticks are labelled with x. The picture is log1p(x), what the log1p option feeds
 * the clustering.
 */
import type { ColumnSummary } from '../../workers/engine/data/columns.ts';
import type { CorrelationAnswer } from '../../workers/services/explore_service.ts';
import type { DistributionsAnswer } from '../../workers/services/explore_service.ts';
import type { FeatureDistribution, GroupBox } from '../../workers/engine/data/explore.ts';
import type { PreparedInfo, TableInfo } from '../jobs/protocol.ts';
import { clusterColour, DIVERGING, labelColours, NOISE_COLOUR, UNCLUSTERED_COLOUR } from '../lib/palette.ts';
import { fmt, fmtPlain, plotText } from '../lib/text.ts';
import { RandomState } from '../../workers/engine/util/random.ts';

export const MAX_SPLOM_FEATURES = 6;
/**
 * Rows drawn in the scatter matrix unless the user asks for all: its WebGL draw blocks the page (measured in headless
 * Chromium with software WebGL: 6 features x 8950 rows about 3.0 s, a 2,000-row sample about 1.6 s).
 */
export const SPLOM_SAMPLE = 2000;

/** The rows the scatter matrix draws: all of them, or a seeded random sample of `max` (sorted, stable for the data). */
export function splomRows(n: number, max: number | null): Int32Array {
  if (max === null || n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return new RandomState(0).permutation(n, max).sort();
}
const ALL_COLOUR = '#4e79a7';


function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A signed correlation with two decimals ("0.95", "−0.12"). */
export function fmtR(r: number): string {
  if (!Number.isFinite(r)) return '';
  const t = Math.abs(r).toFixed(2);
  return r < 0 && t !== '0.00' ? `−${t}` : t;
}

const METHOD_NAME = { pearson: 'Pearson r', spearman: 'Spearman ρ' } as const;

/** Correlation heatmap: n x n cells, diagonal top-left to bottom-right; values as cell text when the matrix is small. */
export function correlationFigure(c: CorrelationAnswer, clustered: boolean) {
  const d = c.features.length;
  const order = clustered ? c.order : c.features.map((_, i) => i);
  const names = order.map((j) => plotText(c.features[j]));
  const z: (number | null)[][] = [];
  const text: string[][] = [];
  const hover: string[][] = [];
  for (const a of order) {
    const zr: (number | null)[] = [];
    const tr: string[] = [];
    const hr: string[] = [];
    for (const b of order) {
      const v = c.r[a * d + b];
      const ok = Number.isFinite(v);
      zr.push(ok ? v : null);
      tr.push(ok ? fmtR(v) : '');
      hr.push(
        `${plotText(c.features[a])} × ${plotText(c.features[b])}<br>${METHOD_NAME[c.method]} = ${ok ? v.toFixed(3) : 'undefined (no spread)'}` +
          `<br>${fmt(c.n_pairs[a * d + b])} customers with both values`,
      );
    }
    z.push(zr);
    text.push(tr);
    hover.push(hr);
  }
  const showText = d <= 20;
  const cell = d <= 10 ? 40 : d <= 20 ? 29 : Math.max(12, Math.floor(600 / d));
  const longest = Math.max(...c.features.map((f) => f.length));
  const labelPx = Math.min(230, 12 + 6.4 * longest);
  const data = [
    {
      type: 'heatmap',
      x: names,
      y: names,
      z,
      zmin: -1,
      zmax: 1,
      colorscale: DIVERGING,
      ...(showText ? { text, texttemplate: '%{text}', textfont: { size: d > 12 ? 9.5 : 11 } } : {}),
      hovertext: hover,
      hoverinfo: 'text',
      xgap: 1,
      ygap: 1,
      colorbar: { thickness: 10, len: 0.8, title: { text: c.method === 'pearson' ? 'r' : 'ρ', side: 'top' }, tickvals: [-1, -0.5, 0, 0.5, 1] },
    },
  ];
  const layout = {
    margin: { l: labelPx, r: 10, t: 8, b: labelPx * 0.75 },
    xaxis: { tickangle: -45, tickfont: { size: 10.5 }, automargin: true, constrain: 'domain', showgrid: false },
    yaxis: { autorange: 'reversed', tickfont: { size: 10.5 }, automargin: true, scaleanchor: 'x', constrain: 'domain', showgrid: false },
    plot_bgcolor: 'white',
  };
  return { data, layout, height: Math.round(cell * d + labelPx * 0.75 + 30), width: Math.round(labelPx + cell * d + 100) };
}

export interface CorrelatedPair {
  a: string;
  b: string;
  r: number;
}

/** The k most strongly correlated pairs of features (largest |r| first; undefined correlations left out). */
export function strongestPairs(c: CorrelationAnswer, k = 8): CorrelatedPair[] {
  const d = c.features.length;
  const pairs: CorrelatedPair[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const r = c.r[i * d + j];
      if (Number.isFinite(r)) pairs.push({ a: c.features[i], b: c.features[j], r });
    }
  }
  return pairs.sort((x, y) => Math.abs(y.r) - Math.abs(x.r)).slice(0, k);
}

/** Tick positions (drawn at 1 + v) and labels (v) for a log(1 + x) axis over [lo, hi]: 0, 1, 10, 100 … thinned to ~6. */
export function log1pTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } {
  const lo1 = Math.log1p(Math.max(lo, -0.99));
  const hi1 = Math.log1p(Math.max(hi, lo, 0));
  const within = (v: number) => v >= lo - 1e-12 && v <= hi * (1 + 1e-9) + 1e-12;
  const series = (ms: number[]) => {
    const out = [0];
    for (let e = -2; e <= 12; e++) for (const m of ms) out.push(m * 10 ** e);
    return out.filter(within).sort((a, b) => a - b);
  };
  // Powers of ten when they give at least 4 ticks (0, 1, 10, 100 …), else 1-2-5 steps.
  const decades = series([1]);
  const inRange = decades.length >= 4 ? decades : series([1, 2, 5]);
  const step = Math.max((hi1 - lo1) / 7, 1e-9);
  const kept: number[] = [];
  for (const v of inRange) {
    if (!kept.length || Math.log1p(v) - Math.log1p(kept[kept.length - 1]) >= step * 0.9) kept.push(v);
  }
  return { tickvals: kept.map((v) => 1 + v), ticktext: kept.map(tickLabel) };
}

function tickLabel(v: number): string {
  if (v >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

function fmtSkew(v: number): string {
  const t = Math.abs(v) >= 10 ? Math.abs(v).toFixed(0) : Math.abs(v).toFixed(1);
  return v < 0 && Number(t) !== 0 ? `−${t}` : t;
}

function groupName(label: number | null): string {
  return label === null ? 'all' : label < 0 ? 'noise' : String(label);
}

function groupColour(label: number | null): string {
  return label === null ? ALL_COLOUR : clusterColour(label);
}

function withAlpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** Whether a feature can be drawn on a log(1 + x) axis (every value > -1). */
export function logApplies(f: FeatureDistribution): boolean {
  return f.boxes_log1p !== null && f.boxes.every((b) => b.min > -1);
}

/** Hover text of a box: its statistics in original units (on the log scale, those of log1p(x) mapped back). */
function boxHover(f: FeatureDistribution, b: GroupBox, linear: GroupBox, log: boolean, names: (label: number) => string | null): string {
  const name = b.label !== null && b.label >= 0 ? names(b.label) : null;
  const who = b.label === null ? 'every customer' : b.label < 0 ? 'noise' : `cluster ${b.label}${name ? ` · ${plotText(name)}` : ''}`;
  return (
    `<b>${plotText(f.feature)}</b> · ${who}<br>median ${fmt(b.median)} · mean ${fmt(linear.mean)}<br>Q1 ${fmt(b.q1)} · Q3 ${fmt(b.q3)}` +
    `<br>whiskers ${fmt(b.lowerfence)} – ${fmt(b.upperfence)}${log ? ' (1.5 IQR of log1p)' : ''}<br>min ${fmt(b.min)} · max ${fmt(b.max)}` +
    `<br>${fmt(b.n)} values, ${fmt(b.n_outliers)} beyond the whiskers${b.n_outliers > b.outliers.length ? ` (${fmt(b.outliers.length)} drawn)` : ''}`
  );
}

/** The columns of the small multiples for a width in pixels. */
export function boxColumns(width: number, n: number): number {
  return Math.max(1, Math.min(n, 8, Math.round(width / 205)));
}

/**
 * One small box plot per feature (its own y axis, original units), a box per cluster when the answer is by cluster.
 * Boxes are Plotly box traces with precomputed q1 / median / q3 / fences; the outliers drawn are the worker's sample;
 * an invisible marker at each median carries the statistics as hover text.
 */
export function distributionsFigure(a: DistributionsAnswer, opts: { log: boolean; width: number; names?: (label: number) => string | null }) {
  const names = opts.names ?? (() => null);
  const feats = a.features;
  const n = feats.length;
  const cols = boxColumns(opts.width, n);
  const rows = Math.ceil(n / cols);
  const cellH = a.by_cluster ? 200 : 180;
  const pad = { l: 48, r: 10, t: 38, b: a.by_cluster ? 26 : 10 };
  const W = Math.max(100, opts.width - 8);
  const H = rows * cellH;
  const cw = W / cols;
  const data: any[] = [];
  const annotations: any[] = [];
  const layout: Record<string, any> = {
    margin: { l: 4, r: 4, t: 26, b: 4 },
    showlegend: false,
    hovermode: 'closest',
    annotations,
  };
  feats.forEach((f, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const ax = i === 0 ? '' : String(i + 1);
    const log = opts.log && logApplies(f);
    const shift = log ? 1 : 0;
    const xd = [(c * cw + pad.l) / W, ((c + 1) * cw - pad.r) / W];
    const yd = [1 - ((r + 1) * cellH - pad.b) / H, 1 - (r * cellH + pad.t) / H];
    // On the log scale the boxes are those of log1p(x): quartiles, whiskers and outliers as the clustering sees them.
    const shown = log ? f.boxes_log1p! : f.boxes;
    const cats = shown.map((b) => groupName(b.label));
    for (const b of shown) {
      const colour = groupColour(b.label);
      data.push({
        type: 'box',
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        name: groupName(b.label),
        x: [groupName(b.label)],
        q1: [b.q1 + shift],
        median: [b.median + shift],
        q3: [b.q3 + shift],
        lowerfence: [b.lowerfence + shift],
        upperfence: [b.upperfence + shift],
        mean: [b.mean + shift],
        boxmean: !log,
        boxpoints: false,
        width: 0.6,
        marker: { color: colour },
        line: { color: b.label !== null && b.label < 0 ? '#8a8a8a' : colour, width: 1.3 },
        fillcolor: withAlpha(b.label !== null && b.label < 0 ? NOISE_COLOUR : colour, 0.35),
        hoverinfo: 'skip',
      });
    }
    const ox: string[] = [];
    const oy: number[] = [];
    const oc: string[] = [];
    const ot: string[] = [];
    for (const b of shown) {
      for (const v of b.outliers) {
        ox.push(groupName(b.label));
        oy.push(v + shift);
        oc.push(groupColour(b.label));
        ot.push(`${plotText(f.feature)} = ${fmt(v)} (${b.label === null ? 'outlier' : b.label < 0 ? 'noise' : `cluster ${b.label}`})`);
      }
    }
    data.push({
      type: 'scatter',
      mode: 'markers',
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      x: ox,
      y: oy,
      marker: { color: oc, size: 3.5, opacity: 0.55 },
      hovertext: ot,
      hoverinfo: 'text',
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      x: cats,
      y: shown.map((b) => b.median + shift),
      marker: { size: 22, color: 'rgba(0,0,0,0)' },
      hovertext: shown.map((b, k) => boxHover(f, b, f.boxes[k], log, names)),
      hoverinfo: 'text',
      hoverlabel: { align: 'left' },
    });
    let lo = Infinity;
    let hi = -Infinity;
    for (const b of f.boxes) {
      lo = Math.min(lo, b.min);
      hi = Math.max(hi, b.max);
    }
    layout[`xaxis${ax}`] = {
      domain: xd,
      anchor: `y${ax}`,
      type: 'category',
      categoryorder: 'array',
      categoryarray: cats,
      showticklabels: a.by_cluster,
      tickfont: { size: 10 },
      fixedrange: true,
    };
    layout[`yaxis${ax}`] = {
      domain: yd,
      anchor: `x${ax}`,
      type: log ? 'log' : 'linear',
      ...(log ? log1pTicks(lo, hi) : {}),
      tickfont: { size: 10 },
      automargin: false,
      zeroline: false,
      gridcolor: '#eef1f4',
    };
    const skew = f.skewness === null ? '' : `skew ${fmtSkew(f.skewness)}`;
    const skewLog = f.skewness_log1p === null ? '' : ` · of log1p ${fmtSkew(f.skewness_log1p)}`;
    const note = opts.log && !log ? ' · linear: values ≤ −1' : '';
    const x0 = (c * cw + pad.l - 40) / W;
    const yTop = 1 - (r * cellH + 4) / H;
    annotations.push(
      {
        xref: 'paper',
        yref: 'paper',
        x: x0,
        y: yTop,
        xanchor: 'left',
        yanchor: 'top',
        showarrow: false,
        align: 'left',
        text: `<b>${plotText(shorten(f.feature, Math.max(8, Math.floor((cw - 16) / 8))))}</b>`,
        font: { size: 11.5 },
        hovertext: plotText(f.feature),
      },
      {
        xref: 'paper',
        yref: 'paper',
        x: x0,
        y: yTop - 17 / H,
        xanchor: 'left',
        yanchor: 'top',
        showarrow: false,
        align: 'left',
        text: plotText(`${skew}${opts.log ? skewLog : ''}${note}${f.n_missing ? ` · ${fmt(f.n_missing)} missing` : ''}`),
        font: { size: 10, color: '#5f6b7a' },
      },
    );
  });
  return { data, layout, height: H + 30 };
}

/** The default features of the scatter matrix: the 4 of highest variance (original units), in column order. */
export function defaultSplomFeatures(features: string[], summaries: ColumnSummary[], k = 4): string[] {
  const std = new Map(summaries.map((s) => [s.name, s.std ?? 0]));
  const top = new Set([...features].sort((a, b) => (std.get(b) ?? 0) - (std.get(a) ?? 0)).slice(0, k));
  return features.filter((f) => top.has(f));
}

/**
 * The scatter matrix (Plotly splom, WebGL) of the chosen features in original units, lower half only. Its colours
 * come apart (splomColours, Plot's `colours`), so that a new clustering recolours it without rebuilding the figure.
 * A missing cell leaves the point out of that feature's panels.
 */
export function splomFigure(p: PreparedInfo, chosen: string[], log: boolean, rows: Int32Array = splomRows(p.n_samples, null)) {
  const d = p.n_features;
  const n = rows.length;
  const idx = chosen.map((f) => p.fitted.columns.indexOf(f)).filter((j) => j >= 0);
  const layout: Record<string, any> = {
    margin: { l: 10, r: 10, t: 10, b: 10 },
    dragmode: 'select',
    hovermode: 'closest',
    showlegend: false,
    plot_bgcolor: 'white',
  };
  const dimensions = idx.map((j, k) => {
    const values = new Array<number | null>(n);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = p.raw[rows[i] * d + j];
      if (v === v) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    const useLog = log && lo > -1;
    for (let i = 0; i < n; i++) {
      const v = p.raw[rows[i] * d + j];
      values[i] = v === v ? v + (useLog ? 1 : 0) : null;
    }
    const axis = {
      type: useLog ? 'log' : 'linear',
      ...(useLog ? log1pTicks(lo, hi) : {}),
      tickfont: { size: 9.5 },
      title: { text: plotText(shorten(p.fitted.columns[j], 24)), font: { size: 11 } },
      gridcolor: '#eef1f4',
      zeroline: false,
      automargin: true,
    };
    layout[`xaxis${k === 0 ? '' : k + 1}`] = axis;
    layout[`yaxis${k === 0 ? '' : k + 1}`] = axis;
    return { label: plotText(p.fitted.columns[j]), values };
  });
  // Hover: the customer's values in original units (the axes may be shifted by 1 for the log scale).
  const text = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let t = `row ${p.row_index[rows[i]] + 1}`;
    for (const j of idx) t += `<br>${plotText(p.fitted.columns[j])} ${fmtPlain(p.raw[rows[i] * d + j])}`;
    text[i] = t;
  }
  const data = [
    {
      type: 'splom',
      dimensions,
      showupperhalf: false,
      diagonal: { visible: false },
      marker: { size: n > 2000 ? 3 : n > 500 ? 4 : 5, opacity: 0.6, line: { width: 0 } },
      text,
      hoverinfo: 'text',
    },
  ];
  const m = Math.max(1, idx.length - 1);
  // Cells about square: the height sets the width.
  return { data, layout, height: Math.max(320, Math.min(860, 150 * m + 90)), width: Math.max(520, 190 * m + 130), dims: idx.length };
}

/** One colour per point: its cluster's (noise light grey), or one grey before any clustering. */
export function splomColours(labels: Int32Array | null, n: number, rows: Int32Array | null = null): string[] {
  if (!labels || labels.length !== n) return new Array<string>(rows ? rows.length : n).fill(UNCLUSTERED_COLOUR);
  return labelColours(rows ? rows.map((r) => labels[r]) : labels);
}

/** The legend of the scatter matrix: one chip per cluster with its size, noise last. */
export function clusterLegend(labels: Int32Array | null): { label: number; colour: string; size: number }[] {
  if (!labels) return [];
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.keys()]
    .sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b))
    .map((l) => ({ label: l, colour: clusterColour(l), size: counts.get(l)! }));
}

export interface MissingRow {
  column: string;
  missing: number;
  share: number;
  used: boolean;
  /** How the cells were filled: "median 312.34", "rows dropped", "not used". */
  fill: string;
  fill_value: number | null;
}

/**
 * Missing values per column and how they were filled: the chosen features' counts (over every row of the table) with
 * the impute strategy and the learned fill value; unused columns' counts from the table summary. Columns without
 * missing values are counted, not listed.
 */
export function missingRows(table: TableInfo, p: PreparedInfo): { rows: MissingRow[]; clean: number; n_rows: number } {
  const rows: MissingRow[] = [];
  const features = p.fitted.columns;
  const n_rows = table.n_rows;
  features.forEach((f, j) => {
    const missing = p.missing_per_column[j] ?? 0;
    if (!missing) return;
    const v = p.fitted.impute_values[j];
    const drop = p.spec.impute === 'drop';
    rows.push({
      column: f,
      missing,
      share: missing / Math.max(1, n_rows),
      used: true,
      fill: drop ? 'rows dropped' : `${p.spec.impute} ${fmt(v)}`,
      fill_value: drop ? null : v,
    });
  });
  for (const s of table.summaries) {
    // a one-hot feature is used through its column=category columns
    if (features.includes(s.name) || p.spec.features.includes(s.name) || !s.n_missing) continue;
    rows.push({ column: s.name, missing: s.n_missing, share: s.n_missing / Math.max(1, n_rows), used: false, fill: 'not used', fill_value: null });
  }
  const listed = new Set(rows.map((r) => r.column));
  const clean = table.columns.filter((c) => !listed.has(c)).length + features.filter((f) => !table.columns.includes(f) && !listed.has(f)).length;
  return { rows, clean, n_rows };
}
