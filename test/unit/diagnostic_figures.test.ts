/**
 * The decisions behind the diagnostic plots: best k per metric and the elbow, reading a dragged shape from a
 * plotly_relayout event, positions on the heatmap grid, the dendrogram's cut line, and the figures' marks.
 */
import { describe, expect, it } from 'vitest';
import {
  bestK,
  coreShareAt,
  cutLineHeight,
  dendrogramFigure,
  draggedShape,
  elbow,
  epsSweepData,
  epsSweepLayout,
  gridPosition,
  kDistanceData,
  kDistanceLayout,
  kMetricsFor,
  kSweepLayout,
  kSweepMark,
  kSweepTrace,
} from '../../src/state/diagnostic_figures.ts';
import type { KSweepPoint } from '../../workers/services/sweep_protocol.ts';
import { buildTree } from '../../workers/engine/cluster/agglomerative.ts';
import { clustersAtHeight, dendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import { PALETTE } from '../../src/lib/palette.ts';

function point(k: number, v: Partial<KSweepPoint>): KSweepPoint {
  return { k, n_clusters: k, inertia: null, silhouette: null, davies_bouldin: null, calinski_harabasz: null, bic: null, seconds: 0, error: null, ...v };
}

describe('k-sweep decisions', () => {
  it('finds the elbow of a decreasing curve with one clear bend', () => {
    // steep until k = 4, flat after
    expect(elbow([2, 3, 4, 5, 6, 7, 8], [100, 60, 20, 17, 14, 12, 10])).toBe(4);
    expect(elbow([2, 3], [10, 5])).toBeNull();
    expect(elbow([2, 3, 4], [1, 2, 3])).toBeNull(); // increasing: no elbow
  });

  it('picks the best k per metric (max, min), and the elbow only once the curve is complete', () => {
    const ks = [2, 3, 4, 5];
    const pts: Record<number, KSweepPoint> = {
      2: point(2, { silhouette: 0.3, davies_bouldin: 1.2, inertia: 100 }),
      3: point(3, { silhouette: 0.5, davies_bouldin: 0.9, inertia: 40 }),
      4: point(4, { silhouette: 0.4, davies_bouldin: 1.0, inertia: 30 }),
    };
    expect(bestK(pts, ks, 'silhouette')).toEqual({ k: 3, value: 0.5 });
    expect(bestK(pts, ks, 'davies_bouldin')).toEqual({ k: 3, value: 0.9 });
    expect(bestK(pts, ks, 'inertia')).toBeNull(); // k = 5 still missing
    expect(bestK(pts, ks, 'bic')).toBeNull();
    pts[5] = point(5, { silhouette: 0.2, davies_bouldin: 2, inertia: 25 });
    expect(bestK(pts, ks, 'inertia')).toEqual({ k: 3, value: 40 });
  });

  it('draws one small figure per metric with the current k marked and missing points as gaps', () => {
    const ks = [2, 3, 4];
    const pts = { 2: point(2, { silhouette: 0.2 }), 4: point(4, { silhouette: 0.4 }) };
    expect(kMetricsFor('KMeans').map((m) => m.id)).toEqual(['inertia', 'silhouette', 'davies_bouldin', 'calinski_harabasz']); // no BIC
    expect(kMetricsFor('GaussianMixture').map((m) => m.id)).toContain('bic');
    const trace = kSweepTrace(pts, ks, 'silhouette');
    expect(trace.y).toEqual([0.2, null, 0.4]);
    expect(trace.xaxis).toBeUndefined(); // a figure of its own
    expect(trace.marker.color).toEqual(['#3a6ea5', '#3a6ea5', '#e15759']); // best silhouette in red
    const layout = kSweepLayout(ks, 'silhouette');
    expect(layout.title.text).toBe('silhouette ↑'); // its PNG says what it shows
    expect(layout.xaxis.range).toEqual([1.4, 4.6]);
    expect(layout.shapes).toBeUndefined(); // the current k is a mark over the figure, not a shape of it
    expect(kSweepMark(3)).toEqual({ x: 3, axes: ['x'] });
    expect(kSweepMark(null)).toBeNull();
  });
});

describe('dragged shapes and grids', () => {
  it('reads the moved shape from a relayout event; other events are ignored', () => {
    expect(draggedShape({ 'shapes[0].x0': 2.1, 'shapes[0].x1': 2.1, 'shapes[0].y0': 0.1, 'shapes[0].y1': 1.1 }, 'x', 1.5)).toBe(2.1);
    expect(draggedShape({ 'shapes[0].y0': 40, 'shapes[0].y1': 40 }, 'y', 12)).toBe(40);
    // one end dragged: the end that moved
    expect(draggedShape({ 'shapes[0].x0': 1.5, 'shapes[0].x1': 3 }, 'x', 1.5)).toBe(3);
    expect(draggedShape({ 'xaxis.range[0]': 0, 'xaxis.range[1]': 3 }, 'x', 1)).toBeNull();
    expect(draggedShape({ autosize: true }, 'y', 1)).toBeNull();
  });

  it('places a value on a grid as a fractional index', () => {
    expect(gridPosition([3, 5, 10, 15], 3)).toBe(0);
    expect(gridPosition([3, 5, 10, 15], 7.5)).toBe(1.5);
    expect(gridPosition([3, 5, 10, 15], 99)).toBe(3);
    expect(gridPosition([0.5, 1], 0.1)).toBe(0);
  });

  it('the k-distance figure draws the eps line where eps is, and the core share is read off the curve', () => {
    const info = {
      min_samples: 4,
      metric: 'euclidean' as const,
      n_samples: 4,
      distance: Float64Array.from([0.5, 1, 2, 4]),
      share: Float64Array.from([0.25, 0.5, 0.75, 1]),
      range: { min: 0.5, max: 4, step: 0.1, suggested: 1 },
    };
    expect(kDistanceLayout(info, 1.7, 0).shapes[0]).toMatchObject({ x0: 1.7, x1: 1.7, xref: 'x', yref: 'paper' });
    expect(kDistanceData(info)[0].y).toEqual([25, 50, 75, 100]);
    expect(coreShareAt(info, 1.7)).toBe(0.5);
    expect(coreShareAt(info, 0.1)).toBe(0);
    expect(coreShareAt(info, 9)).toBe(1);
  });

  it('the heatmap shows computed cells, blanks for the rest, and rings the current setting', () => {
    const grid = { eps: [0.5, 1], min_samples: [3, 5] };
    const cells = { '3|0.5': { eps: 0.5, min_samples: 3, n_clusters: 4, n_noise: 10, noise_fraction: 0.1, silhouette: 0.3 } };
    const data = epsSweepData(grid, cells, 'n_clusters');
    expect(data[0].z).toEqual([[4, null], [null, null]]);
    expect(data[0].text).toEqual([['4', ''], ['', '']]);
    expect(epsSweepLayout(grid, 0.75, 5).shapes[0]).toMatchObject({ x0: 0, x1: 1, y0: 0.5, y1: 1.5 });
    expect(epsSweepData(grid, cells, 'noise')[0].z[0][0]).toBe(10);
  });
});

describe('dendrogram figure', () => {
  it('draws the cut line at a height that gives k, and colours the clusters with the scatter palette', () => {
    // no tied heights (with ties some k cannot be cut by height; cutHeights says so)
    const X = { data: Float64Array.from([0, 1, 5, 7, 20, 23, 40]), n_samples: 7, n_features: 1 };
    const d = dendrogramTop(buildTree(X, { linkage: 'single' }));
    for (let k = 1; k <= 7; k++) expect(clustersAtHeight(d, cutLineHeight(d, k))).toBe(k);
    const f = dendrogramFigure(d, 3, 0);
    const colours = new Set(f.data.filter((t: any) => t.mode === 'lines').map((t: any) => t.line.color));
    // {0, 1, 5, 7} and {20, 23} have links of their own; the singleton {40} only its leaf mark
    expect(colours).toEqual(new Set([PALETTE[0], PALETTE[1], '#4a5563']));
    const leaves = f.data.find((t: any) => t.mode === 'markers');
    expect(new Set(leaves.marker.color)).toEqual(new Set([PALETTE[0], PALETTE[1], PALETTE[2]]));
    expect(f.layout.shapes[0].y0).toBe(cutLineHeight(d, 3));
  });
});
