/**
 * Plotly figures of the diagnostics (k-sweep small multiples, k-distance curve, eps x min_samples heatmap,
 * dendrogram) and the small decisions behind them (best k per metric, the elbow, cut lines). Plain functions of
 * the data: the components stay thin and the logic is unit-tested.
 */
import { cellKey, type KSweepPoint, type EpsCell, type EpsGrid } from '../../workers/services/sweep_protocol.ts';
import type { KDistanceInfo } from '../../workers/services/cluster_service.ts';
import { cutGroups, cutHeights, type DendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import { clusterColour } from '../lib/palette.ts';
import { fmt } from '../lib/text.ts';

export type KMetric = 'inertia' | 'silhouette' | 'davies_bouldin' | 'calinski_harabasz' | 'bic';

export const K_METRICS: { id: KMetric; label: string; better: 'max' | 'min' | 'elbow'; help: string }[] = [
  { id: 'inertia', label: 'inertia (elbow)', better: 'elbow', help: 'Within-cluster sum of squares: look for the bend.' },
  { id: 'silhouette', label: 'silhouette ↑', better: 'max', help: 'Mean silhouette (-1 … 1), higher is better.' },
  { id: 'davies_bouldin', label: 'Davies-Bouldin ↓', better: 'min', help: 'Lower is better.' },
  { id: 'calinski_harabasz', label: 'Calinski-Harabasz ↑', better: 'max', help: 'Higher is better.' },
  { id: 'bic', label: 'BIC ↓', better: 'min', help: 'Bayesian information criterion of the mixture, lower is better.' },
];

const ACCENT = '#3a6ea5';
const BEST = '#e15759';

/** The k of the bend of a decreasing curve (Kneedle: farthest below the chord, both axes scaled to [0, 1]). */
export function elbow(ks: number[], ys: number[]): number | null {
  if (ks.length < 3) return null;
  const y0 = ys[0];
  const y1 = ys[ys.length - 1];
  if (!(y0 > y1)) return null;
  const k0 = ks[0];
  const k1 = ks[ks.length - 1];
  let best: number | null = null;
  let gap = 0;
  for (let i = 1; i < ks.length - 1; i++) {
    const x = (ks[i] - k0) / (k1 - k0);
    const y = (ys[i] - y1) / (y0 - y1);
    const g = 1 - x - y;
    if (g > gap) {
      gap = g;
      best = ks[i];
    }
  }
  return best;
}

/** The best k per metric over the computed points (the elbow only once the curve is complete). */
export function bestK(points: Record<number, KSweepPoint>, ks: number[], metric: KMetric): { k: number; value: number } | null {
  const have = ks.filter((k) => points[k] && points[k][metric] !== null && Number.isFinite(points[k][metric] as number));
  if (!have.length) return null;
  const val = (k: number) => points[k][metric] as number;
  const spec = K_METRICS.find((m) => m.id === metric)!;
  if (spec.better === 'elbow') {
    if (have.length !== ks.length) return null;
    const k = elbow(have, have.map(val));
    return k === null ? null : { k, value: val(k) };
  }
  let k = have[0];
  for (const c of have) if (spec.better === 'max' ? val(c) > val(k) : val(c) < val(k)) k = c;
  return { k, value: val(k) };
}

/** Metrics shown for an estimator (BIC only for the mixture). */
export function kMetricsFor(name: string): typeof K_METRICS {
  return K_METRICS.filter((m) => m.id !== 'bic' || name === 'GaussianMixture');
}

/**
 * Small multiples: one figure per metric (kMetricsFor), sharing k on x, the metric's best point in red. One figure
 * each, not one figure of subplots: a new point redraws every figure in full (its y range changes), and one figure of
 * four subplots cost 36-86 ms per redraw against 9-25 ms for each of four small ones (measured:
 * bench/results/browser.md, "Fifth pass"), so that each small redraw is a short task of its own. The trace depends on
 * the points only; the current k is a mark over the figure (kSweepMark), so moving k redraws nothing.
 */
export function kSweepTrace(points: Record<number, KSweepPoint>, ks: number[], metric: KMetric): Record<string, any> {
  const m = K_METRICS.find((x) => x.id === metric)!;
  const best = bestK(points, ks, metric);
  return {
    type: 'scatter',
    mode: 'lines+markers',
    x: ks,
    y: ks.map((k) => (points[k] ? points[k][metric] : null)),
    name: m.label,
    line: { color: ACCENT, width: 1.5 },
    marker: { size: ks.map((k) => (best?.k === k ? 10 : 6)), color: ks.map((k) => (best?.k === k ? BEST : ACCENT)) },
    hovertemplate: `k = %{x}<br>${m.label.replace(/ [↑↓].*| \(.*/, '')} %{y:.4g}<extra></extra>`,
    connectgaps: false,
  };
}

/** One metric's figure: k on x, the metric's name as its title (so that its PNG says what it shows). */
export function kSweepLayout(ks: number[], metric: KMetric): Record<string, any> {
  const m = K_METRICS.find((x) => x.id === metric)!;
  return {
    showlegend: false,
    hovermode: 'x',
    margin: { l: 44, r: 8, t: 22, b: 28 },
    font: { size: 11 },
    title: { text: m.label, font: { size: 11.5, color: '#1d2633' }, x: 0.5, xanchor: 'center', y: 0.98, yanchor: 'top' },
    xaxis: { range: [ks[0] - 0.6, ks[ks.length - 1] + 0.6], tickvals: ks.filter((k) => k % 2 === 0), zeroline: false, fixedrange: true },
    yaxis: { zeroline: false, fixedrange: true, nticks: 5 },
  };
}

/** The current k marked on a metric's figure (Plot's `marks`: moved without redrawing the figure). */
export function kSweepMark(currentK: number | null): { x: number; axes: string[] } | null {
  return currentK === null ? null : { x: currentK, axes: ['x'] };
}

/** Share of rows that are core points at eps, read off the (sampled) k-distance curve. */
export function coreShareAt(info: KDistanceInfo, eps: number): number {
  const d = info.distance;
  let lo = 0;
  let hi = d.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d[mid] <= eps) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : info.share[lo - 1];
}

/** The k-distance curve (distance on x, so eps is a vertical line that can be dragged) and the suggested eps. */
export function kDistanceData(info: KDistanceInfo): any[] {
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x: Array.from(info.distance),
      y: Array.from(info.share, (s) => s * 100),
      line: { color: ACCENT, width: 2 },
      hovertemplate: `distance to the ${info.min_samples}th neighbour %{x:.3g}<br>%{y:.1f} % of rows within it<extra></extra>`,
    },
    {
      type: 'scatter',
      mode: 'markers',
      x: [info.range.suggested],
      y: [coreShareAt(info, info.range.suggested) * 100],
      marker: { size: 9, color: 'white', line: { color: BEST, width: 2 } },
      hovertemplate: 'knee of the curve: suggested eps %{x}<extra></extra>',
    },
  ];
}

/** The axes and the eps line (shape 0, editable); `rev` makes a new layout after a drag so the line snaps back. */
export function kDistanceLayout(info: KDistanceInfo, eps: number, rev: number): Record<string, any> {
  const xmax = Math.max(info.range.max, eps) * 1.06;
  return {
    showlegend: false,
    hovermode: 'closest',
    margin: { l: 48, r: 12, t: 12, b: 40 },
    font: { size: 11 },
    xaxis: { title: { text: `eps: distance to the ${info.min_samples}th neighbour (${info.metric})`, standoff: 4 }, range: [0, xmax], zeroline: false },
    yaxis: { title: { text: 'core points (%)', standoff: 2 }, range: [0, 102], zeroline: false, fixedrange: true },
    shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: eps, x1: eps, y0: 0, y1: 1, line: { color: BEST, width: 3 } }],
    annotations: [
      { text: `eps ${fmt(eps)}`, x: eps, xref: 'x', y: 1, yref: 'paper', xanchor: 'left', yanchor: 'top', showarrow: false, font: { color: BEST, size: 11 } },
    ],
    uirevision: `${info.min_samples}|${info.metric}`,
    meta: rev,
  };
}

/** The new x of shape 0 after a drag, from a plotly_relayout event (the end that moved, if only one did). */
export function draggedShape(ev: Record<string, unknown> | null | undefined, axis: 'x' | 'y', current: number): number | null {
  if (!ev) return null;
  const a = ev[`shapes[0].${axis}0`];
  const b = ev[`shapes[0].${axis}1`];
  const vals = [a, b].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!vals.length) return null;
  if (vals.length === 2 && vals[0] !== vals[1]) return Math.abs(vals[0] - current) > Math.abs(vals[1] - current) ? vals[0] : vals[1];
  return vals[0];
}

export type CellMetric = 'n_clusters' | 'noise' | 'silhouette';
export const CELL_METRICS: { id: CellMetric; label: string }[] = [
  { id: 'n_clusters', label: 'number of clusters' },
  { id: 'noise', label: 'noise %' },
  { id: 'silhouette', label: 'silhouette (non-noise)' },
];

function cellValue(c: EpsCell | undefined, metric: CellMetric): number | null {
  if (!c) return null;
  if (metric === 'n_clusters') return c.n_clusters;
  if (metric === 'noise') return c.noise_fraction * 100;
  return c.silhouette;
}

/** Position of v on a grid of increasing values, as a fractional index (piecewise linear, clamped). */
export function gridPosition(values: number[], v: number): number {
  if (v <= values[0]) return 0;
  for (let i = 1; i < values.length; i++) {
    if (v <= values[i]) return i - 1 + (v - values[i - 1]) / (values[i] - values[i - 1]);
  }
  return values.length - 1;
}

/** The eps x min_samples heatmap (cells filled in as they arrive). */
export function epsSweepData(grid: EpsGrid, cells: Record<string, EpsCell>, metric: CellMetric): any[] {
  const z = grid.min_samples.map((m) => grid.eps.map((e) => cellValue(cells[cellKey(m, e)], metric)));
  const text = grid.min_samples.map((m) =>
    grid.eps.map((e) => {
      const v = cellValue(cells[cellKey(m, e)], metric);
      if (v === null) return cells[cellKey(m, e)] ? '–' : '';
      return metric === 'n_clusters' ? String(v) : metric === 'noise' ? v.toFixed(0) : v.toFixed(2);
    }),
  );
  const hover = grid.min_samples.map((m) =>
    grid.eps.map((e) => {
      const c = cells[cellKey(m, e)];
      if (!c) return `eps ${e}, min_samples ${m}: computing…`;
      return `eps ${e}, min_samples ${m}<br>${c.n_clusters} clusters, ${(c.noise_fraction * 100).toFixed(1)} % noise<br>silhouette ${c.silhouette === null ? '–' : c.silhouette.toFixed(3)}`;
    }),
  );
  const scale =
    metric === 'silhouette'
      ? { colorscale: 'RdBu', zmin: -1, zmax: 1, zmid: 0 }
      : metric === 'noise'
        ? { colorscale: 'YlOrRd', zmin: 0, zmax: 100 }
        : { colorscale: [[0, '#f2f6fb'], [1, '#1f4e85']], zmin: 0, zmax: 15 };
  return [
    {
      type: 'heatmap',
      x: grid.eps.map((e) => String(e)),
      y: grid.min_samples.map((m) => String(m)),
      z,
      text,
      texttemplate: '%{text}',
      textfont: { size: 10 },
      customdata: hover,
      hovertemplate: '%{customdata}<extra></extra>',
      xgap: 1,
      ygap: 1,
      // no colour bar: each cell's text gives its value (the bar was 17 % of every redraw while the cells stream in)
      showscale: false,
      ...scale,
    },
  ];
}

/** The heatmap's axes with the current (eps, min_samples) ringed, between cells when it is off the grid. */
export function epsSweepLayout(grid: EpsGrid, eps: number, min_samples: number): Record<string, any> {
  const fx = gridPosition(grid.eps, eps);
  const fy = gridPosition(grid.min_samples, min_samples);
  return {
    margin: { l: 44, r: 8, t: 8, b: 40 },
    font: { size: 11 },
    xaxis: { title: { text: 'eps', standoff: 4 }, type: 'category', fixedrange: true, tickangle: 0 },
    yaxis: { title: { text: 'min_samples', standoff: 2 }, type: 'category', fixedrange: true },
    plot_bgcolor: '#f3f5f8',
    shapes: [{ type: 'rect', xref: 'x', yref: 'y', x0: fx - 0.5, x1: fx + 0.5, y0: fy - 0.5, y1: fy + 0.5, line: { color: '#1d2633', width: 2.5 } }],
  };
}

/** The height drawn for a cut into k clusters: midway between the merges it lies between. */
export function cutLineHeight(d: DendrogramTop, k: number): number {
  const { lower, upper } = cutHeights(d, k);
  const root = d.n_merges ? d.height[d.n_merges - 1] : 1;
  if (!Number.isFinite(upper)) return root + Math.max(root * 0.04, 1e-9);
  return (lower + upper) / 2;
}

/** The dendrogram's links grouped by colour (one trace per cluster of the cut, dark grey above it), the cut line editable. */
export function dendrogramFigure(d: DendrogramTop, k: number, rev: number, threshold: number | null = null) {
  const group = cutGroups(d, k);
  const L = d.n_leaves;
  const byGroup = new Map<number, { x: (number | null)[]; y: (number | null)[] }>();
  for (let j = 0; j < d.n_merges; j++) {
    const v = L + j;
    const a = d.left[j];
    const b = d.right[j];
    const g = group[v];
    let s = byGroup.get(g);
    if (!s) byGroup.set(g, (s = { x: [], y: [] }));
    s.x.push(d.node_x[a], d.node_x[a], d.node_x[b], d.node_x[b], null);
    s.y.push(d.node_h[a], d.height[j], d.height[j], d.node_h[b], null);
  }
  const data: any[] = [...byGroup.entries()].map(([g, s]) => ({
    type: 'scatter',
    mode: 'lines',
    x: s.x,
    y: s.y,
    line: { color: g < 0 ? '#4a5563' : clusterColour(g), width: 1.4 },
    hoverinfo: 'skip',
  }));
  const leaves = Array.from({ length: L }, (_, i) => i);
  data.push({
    type: 'scatter',
    mode: 'markers',
    x: leaves.map((i) => d.node_x[i]),
    y: leaves.map((i) => d.node_h[i]),
    marker: { size: 5, color: leaves.map((i) => (group[i] < 0 ? '#4a5563' : clusterColour(group[i]))) },
    customdata: leaves.map((i) => d.node_size[i]),
    hovertemplate: '%{customdata} rows<br>joined at height %{y:.4g}<extra></extra>',
  });
  // a distance_threshold cut draws the line at the threshold itself; an n_clusters cut midway between its merges
  const y = threshold ?? cutLineHeight(d, k);
  const root = Math.max(d.n_merges ? d.height[d.n_merges - 1] : 1, threshold ?? 0);
  const layout = {
    showlegend: false,
    hovermode: 'closest',
    margin: { l: 52, r: 10, t: 10, b: 24 },
    font: { size: 11 },
    xaxis: { showticklabels: false, zeroline: false, showgrid: false, range: [-1, L], fixedrange: true, title: { text: `top ${d.n_merges} merges: ${L} groups of rows`, standoff: 2 } },
    yaxis: { title: { text: 'merge height', standoff: 2 }, zeroline: false, range: [0, root * 1.08], fixedrange: true },
    shapes: [{ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y, line: { color: BEST, width: 3, dash: 'dash' } }],
    meta: rev,
  };
  return { data, layout };
}
