/**
 * The Explore tab's figures and tables, built from worker answers (pure functions): the heatmap's cells, the box
 * plots (one axis per feature, log(1 + x) axes with ticks labelled in original units, a box per cluster), the
 * scatter matrix's colours and missing cells, the missing-values table and the strongest pairs.
 */
import { describe, expect, it } from 'vitest';
import {
  correlationFigure,
  defaultSplomFeatures,
  distributionsFigure,
  log1pTicks,
  missingRows,
  splomFigure,
  splomColours,
  splomRows,
  strongestPairs,
  fmtR,
} from '../../src/state/explore_figures.ts';
import { clusterColour, NOISE_COLOUR, UNCLUSTERED_COLOUR } from '../../src/lib/palette.ts';
import { featureDistributions } from '../../workers/engine/data/explore.ts';
import type { CorrelationAnswer } from '../../workers/services/explore_service.ts';
import type { PreparedInfo, TableInfo } from '../../src/jobs/protocol.ts';

const corr: CorrelationAnswer = {
  method: 'pearson',
  space: 'original',
  features: ['a', 'b<i>', 'c'],
  r: Float64Array.from([1, 0.9, -0.3, 0.9, 1, NaN, -0.3, NaN, 1]),
  n_pairs: Int32Array.from([5, 5, 5, 5, 5, 5, 5, 5, 5]),
  order: [2, 0, 1],
  seconds: 0,
};

describe('correlationFigure', () => {
  it('n x n cells with text, escaped names, undefined cells empty; the clustered order permutes both axes', () => {
    const f = correlationFigure(corr, false);
    const t = f.data[0] as any;
    expect(t.z).toEqual([
      [1, 0.9, -0.3],
      [0.9, 1, null],
      [-0.3, null, 1],
    ]);
    expect(t.x).toEqual(['a', 'b&lt;i&gt;', 'c']);
    expect(t.text[0]).toEqual(['1.00', '0.90', '−0.30']);
    const g = correlationFigure(corr, true).data[0] as any;
    expect(g.x).toEqual(['c', 'a', 'b&lt;i&gt;']);
    expect(g.z[0]).toEqual([1, -0.3, null]);
    expect(fmtR(-0.001)).toBe('0.00');
  });

  it('strongestPairs: largest |r| first, undefined left out', () => {
    expect(strongestPairs(corr)).toEqual([
      { a: 'a', b: 'b<i>', r: 0.9 },
      { a: 'a', b: 'c', r: -0.3 },
    ]);
  });
});

describe('log1pTicks', () => {
  it('labels a money axis with powers of ten at 1 + v, thinned so that labels do not overlap (1 is too close to 0)', () => {
    const t = log1pTicks(0, 19000);
    expect(t.ticktext).toEqual(['0', '10', '100', '1k', '10k']);
    expect(t.tickvals).toEqual([1, 11, 101, 1001, 10001]);
  });
  it('uses 1-2-5 steps over a short range', () => {
    const t = log1pTicks(0, 1);
    expect(t.ticktext[0]).toBe('0');
    expect(t.ticktext).toContain('1');
    expect(t.ticktext.length).toBeGreaterThanOrEqual(3);
  });
});

describe('distributionsFigure', () => {
  const raw = { data: Float64Array.from([0, 5, 10, 2, 1000, -3, 3, NaN, 7, 8]), n_samples: 5, n_features: 2 };
  it('one box trace and one axis per feature; log only where every value is > -1', () => {
    const a = { features: featureDistributions(raw, ['money', 'delta']), by_cluster: false, seconds: 0 };
    const lin = distributionsFigure(a, { log: false, width: 900 });
    const boxes = lin.data.filter((t) => t.type === 'box');
    expect(boxes.length).toBe(2);
    expect(boxes.map((b) => b.yaxis)).toEqual(['y', 'y2']);
    expect([lin.layout.yaxis.type, lin.layout.yaxis2.type]).toEqual(['linear', 'linear']);
    const log = distributionsFigure(a, { log: true, width: 900 });
    expect([log.layout.yaxis.type, log.layout.yaxis2.type]).toEqual(['log', 'linear']); // delta has -3
    const b = log.data.find((t) => t.type === 'box' && t.yaxis === 'y');
    // On the log scale, the boxes of log1p(x) (mapped back), drawn at 1 + x, without the mean line.
    expect(b.median[0]).toBe(a.features[0].boxes_log1p![0].median + 1);
    expect(b.q3[0]).not.toBe(a.features[0].boxes[0].q3 + 1);
    expect(b.boxmean).toBe(false);
  });
  it('a box per cluster in the palette, noise grey', () => {
    const labels = Int32Array.from([0, 1, 0, -1, 1]);
    const a = { features: featureDistributions(raw, ['money', 'delta'], labels), by_cluster: true, seconds: 0 };
    const f = distributionsFigure(a, { log: false, width: 900 });
    const boxes = f.data.filter((t) => t.type === 'box' && t.yaxis === 'y');
    expect(boxes.map((b) => b.name)).toEqual(['noise', '0', '1']);
    expect(boxes.map((b) => b.marker.color)).toEqual([NOISE_COLOUR, clusterColour(0), clusterColour(1)]);
    expect(f.layout.xaxis.showticklabels).toBe(true);
  });
});

function prepared(): PreparedInfo {
  return {
    key: 'k',
    spec: { features: ['x', 'y', 'z'], impute: 'median', log1p: [], scaler: 'standard' },
    fitted: { columns: ['x', 'y', 'z'], impute_values: [1.5, 20, 0], log1p: [], center: [0, 0, 0], scale: [1, 1, 1] },
    n_samples: 3,
    n_features: 3,
    X: new Float64Array(9),
    raw: Float64Array.from([1, NaN, 0, 2, 20, 5, 1.5, 30, 9]),
    row_index: Int32Array.from([0, 1, 2]),
    n_imputed_cells: 1,
    n_dropped_rows: 0,
    missing_per_column: [0, 1, 0],
    pca: new Float64Array(9),
    pca_explained_variance_ratio: [],
  };
}

describe('splomFigure', () => {
  it('the chosen dimensions, missing cells as null, colours by cluster (noise grey)', () => {
    const f = splomFigure(prepared(), ['y', 'z'], false);
    const t = f.data[0] as any;
    expect(t.type).toBe('splom');
    expect(t.dimensions.map((d: any) => d.label)).toEqual(['y', 'z']);
    expect(t.dimensions[0].values).toEqual([null, 20, 30]);
    expect(t.text[0]).toBe('row 1<br>y missing<br>z 0');
    expect(splomColours(Int32Array.from([0, -1, 2]), 3)).toEqual([clusterColour(0), NOISE_COLOUR, clusterColour(2)]);
    expect(splomColours(null, 2)).toEqual([UNCLUSTERED_COLOUR, UNCLUSTERED_COLOUR]);
    const lg = splomFigure(prepared(), ['y', 'z'], true);
    expect(lg.layout.xaxis.type).toBe('log');
    expect((lg.data[0] as any).dimensions[1].values).toEqual([1, 6, 10]);
  });
  it('draws a seeded sample of the rows when asked: the same rows every time, and colours of those rows', () => {
    const rows = splomRows(10, 4);
    expect(rows.length).toBe(4);
    expect(Array.from(rows)).toEqual(Array.from(splomRows(10, 4)));
    expect(Array.from(rows)).toEqual([...rows].sort((a, b) => a - b));
    expect(new Set(rows).size).toBe(4);
    expect(Array.from(splomRows(3, 4))).toEqual([0, 1, 2]);
    expect(Array.from(splomRows(5, null))).toEqual([0, 1, 2, 3, 4]);
    const f = splomFigure(prepared(), ['y', 'z'], false, Int32Array.from([1, 2]));
    expect((f.data[0] as any).dimensions[0].values).toEqual([20, 30]);
    expect((f.data[0] as any).text[0]).toMatch(/^row 2<br>/);
    expect(splomColours(Int32Array.from([0, -1, 2]), 3, Int32Array.from([0, 2]))).toEqual([clusterColour(0), clusterColour(2)]);
  });
  it('defaults to the highest-variance features in column order', () => {
    const s = [
      { name: 'x', std: 1 },
      { name: 'y', std: 10 },
      { name: 'z', std: 5 },
    ] as any;
    expect(defaultSplomFeatures(['x', 'y', 'z'], s, 2)).toEqual(['y', 'z']);
  });
});

describe('missingRows', () => {
  const table = {
    n_rows: 3,
    columns: ['id', 'x', 'y', 'z', 'note'],
    summaries: [
      { name: 'id', n_missing: 0 },
      { name: 'x', n_missing: 0 },
      { name: 'y', n_missing: 1 },
      { name: 'z', n_missing: 0 },
      { name: 'note', n_missing: 2 },
    ],
  } as unknown as TableInfo;
  it('lists the chosen columns with missing cells and their fill value, then unused ones', () => {
    const m = missingRows(table, prepared());
    expect(m.rows.map((r) => [r.column, r.missing, r.fill])).toEqual([
      ['y', 1, 'median 20'],
      ['note', 2, 'not used'],
    ]);
    expect(m.clean).toBe(3);
    const drop = { ...prepared(), spec: { ...prepared().spec, impute: 'drop' as const } };
    expect(missingRows(table, drop).rows[0].fill).toBe('rows dropped');
  });
});
