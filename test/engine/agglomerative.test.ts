import { describe, it, expect } from 'vitest';
import { agnes } from 'ml-hclust';
import {
  agglomerativeMemoryBytes,
  buildTree,
  cutTree,
  fitAgglomerative,
  nClustersForThreshold,
  type HierarchyTree,
  type Linkage,
} from '../../workers/engine/cluster/agglomerative.ts';
import { CancelledError, ParameterError } from '../../workers/engine/errors.ts';
import { primOnTheFly, relabelMerges } from '../../workers/engine/cluster/hierarchy_build.ts';
import type { Matrix, Metric, Progress } from '../../workers/engine/types.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, ccStandardized, oracle } from '../helpers/shared.ts';

/** Adjusted Rand index (Hubert & Arabie), as scikit-learn's adjusted_rand_score. */
function ari(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error('label arrays differ in length');
  const pairs = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = `${a[i]},${b[i]}`;
    pairs.set(k, (pairs.get(k) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of pairs.values()) index += c2(v);
  let sa = 0;
  for (const v of ca.values()) sa += c2(v);
  let sb = 0;
  for (const v of cb.values()) sb += c2(v);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1; // both partitions trivial (all one cluster or all singletons)
  return (index - expected) / (max - expected);
}

function randomMatrix(n: number, d: number, seed: number): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rs.normal();
  return { data, n_samples: n, n_features: d };
}

function firstRows(X: Matrix, k: number): Matrix {
  return { data: X.data.slice(0, k * X.n_features), n_samples: k, n_features: X.n_features };
}

function fromRows(rows: number[][]): Matrix {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n_samples: n, n_features: d };
}

/** Structure of a scikit-learn tree: every node used once as a child, children made before their parent. */
function expectValidTree(tree: HierarchyTree): void {
  const n = tree.n_samples;
  expect(tree.children.length).toBe(2 * (n - 1));
  expect(tree.distances.length).toBe(n - 1);
  const used = new Uint8Array(2 * n - 1);
  for (let i = 0; i < n - 1; i++) {
    for (const c of [tree.children[2 * i], tree.children[2 * i + 1]]) {
      expect(c >= 0 && c < n + i).toBe(true);
      expect(used[c]).toBe(0);
      used[c] = 1;
    }
    expect(tree.children[2 * i]).toBeLessThan(tree.children[2 * i + 1]);
    if (i > 0) expect(tree.distances[i]).toBeGreaterThanOrEqual(tree.distances[i - 1]);
  }
}

/** Sorted merge heights equal to 1e-6 relative (1e-12 absolute for heights that are zero up to round-off). */
function expectSameHeights(ours: ArrayLike<number>, ref: ArrayLike<number>): void {
  expect(ours.length).toBe(ref.length);
  const a = Float64Array.from(ours).sort();
  const b = Float64Array.from(ref).sort();
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - b[i]) - (1e-6 * Math.abs(b[i]) + 1e-12);
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  expect(at === -1 ? 'all equal' : `height ${at}: ours ${a[at]} vs ${b[at]}`).toBe('all equal');
}

/** Labels numbered by first appearance: 0 for sample 0's cluster, then increasing. */
function expectFirstAppearanceOrder(labels: Int32Array, k: number): void {
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    expect(labels[i]).toBeLessThanOrEqual(next);
    if (labels[i] === next) next++;
  }
  expect(next).toBe(k);
}

describe('agglomerative: small cases worked by hand', () => {
  it('ward on 0, 1, 5 (1-D): heights sqrt(2*1*1/2)*1 and sqrt(2*2*1/3)*4.5', () => {
    const X: Matrix = { data: Float64Array.from([0, 1, 5]), n_samples: 3, n_features: 1 };
    const tree = buildTree(X, { linkage: 'ward' });
    expect(Array.from(tree.children)).toEqual([0, 1, 2, 3]);
    expect(tree.distances[0]).toBeCloseTo(1, 14);
    expect(tree.distances[1]).toBeCloseTo(Math.sqrt(4 / 3) * 4.5, 13);
  });

  it('single / complete / average on 0, 1, 3, 10 (1-D)', () => {
    const X: Matrix = { data: Float64Array.from([0, 1, 3, 10]), n_samples: 4, n_features: 1 };
    // single: 1 (0-1), 2 (1-3), 7 (3-10); complete: 1, 3 ({0,1}-3), 10; average: 1, 2.5, (10+9+7)/3
    const expected: Record<string, number[]> = { single: [1, 2, 7], complete: [1, 3, 10], average: [1, 2.5, 26 / 3] };
    for (const linkage of ['single', 'complete', 'average'] as Linkage[]) {
      const tree = buildTree(X, { linkage });
      expectValidTree(tree);
      expect(Array.from(tree.children)).toEqual([0, 1, 2, 4, 3, 5]);
      tree.distances.forEach((v, i) => expect(v).toBeCloseTo(expected[linkage][i], 12));
    }
  });

  it('cosine distance is 1 - cos and manhattan the sum of absolute differences', () => {
    const X: Matrix = { data: Float64Array.from([1, 0, 2, 0, 0, 3]), n_samples: 3, n_features: 2 };
    const cos = buildTree(X, { linkage: 'single', metric: 'cosine' });
    expect(Array.from(cos.distances)).toEqual([0, 1]);
    const man = buildTree(X, { linkage: 'complete', metric: 'manhattan' });
    // |1-2| = 1; then max(|1-0|+3, |2-0|+3) = 5
    expect(Array.from(man.distances)).toEqual([1, 5]);
  });
});

describe('agglomerative: ties and duplicates', () => {
  it('identical rows: every height 0 (1 for cosine on zero rows), a valid tree for every linkage', () => {
    const X: Matrix = { data: new Float64Array(40 * 3), n_samples: 40, n_features: 3 };
    for (const [linkage, metric] of [
      ['ward', 'euclidean'],
      ['average', 'manhattan'],
      ['complete', 'euclidean'],
      ['single', 'euclidean'],
      ['average', 'cosine'],
    ] as [Linkage, Metric][]) {
      const tree = buildTree(X, { linkage, metric });
      expectValidTree(tree);
      const want = metric === 'cosine' ? 1 : 0;
      expect(tree.distances.every((v) => v === want)).toBe(true);
    }
  });

  it('points on a small integer grid (many equal distances): valid trees; single linkage heights as ml-hclust', () => {
    const rs = new RandomState(5);
    const rows: number[][] = [];
    for (let i = 0; i < 250; i++) rows.push([rs.randint(4), rs.randint(4), rs.randint(3)]);
    const X = fromRows(rows);
    for (const linkage of ['ward', 'average', 'complete', 'single'] as Linkage[]) {
      const tree = buildTree(X, { linkage });
      expectValidTree(tree);
      // 4*4*3 = 48 distinct points: exactly 250 - 48 merges at height 0
      let zeros = 0;
      for (const v of tree.distances) if (v === 0) zeros++;
      expect(zeros).toBe(250 - new Set(rows.map((r) => r.join())).size);
    }
    const heights: number[] = [];
    agnes(rows, { method: 'single' }).traverse((c) => {
      if (!c.isLeaf) heights.push(c.height);
    });
    expectSameHeights(buildTree(X, { linkage: 'single' }).distances, heights);
  });
});

describe('agglomerative: cuts', () => {
  const X = randomMatrix(200, 4, 7);
  const tree = buildTree(X, { linkage: 'average' });

  it('n_clusters cut: that many clusters, numbered by first appearance, each the union of a subtree', () => {
    expectValidTree(tree);
    for (const k of [1, 2, 3, 7, 50, 199, 200]) {
      const { labels, n_clusters } = cutTree(tree, { n_clusters: k });
      expect(n_clusters).toBe(k);
      expect(labels[0]).toBe(0);
      expectFirstAppearanceOrder(labels, k);
    }
    const all = cutTree(tree, { n_clusters: 200 });
    expect(new Set(all.labels).size).toBe(200);
  });

  it('distance_threshold: merges below the threshold applied, as scikit-learn counts them', () => {
    const d = tree.distances;
    for (const k of [2, 5, 40]) {
      const lo = d[d.length - k];
      const hi = d[d.length - k + 1];
      const thr = (lo + hi) / 2; // merges < thr: all but the last k - 1
      let count = 0;
      for (const v of d) if (v >= thr) count++;
      expect(nClustersForThreshold(tree, thr)).toBe(count + 1);
      const byThr = cutTree(tree, { n_clusters: null, distance_threshold: thr });
      const byK = cutTree(tree, { n_clusters: k });
      expect(byThr.n_clusters).toBe(k);
      expect(Array.from(byThr.labels)).toEqual(Array.from(byK.labels));
    }
    // A threshold equal to a merge height leaves that merge undone (distance >= threshold counts).
    expect(cutTree(tree, { n_clusters: null, distance_threshold: d[d.length - 1] }).n_clusters).toBe(2);
    expect(cutTree(tree, { n_clusters: null, distance_threshold: 0 }).n_clusters).toBe(200);
    expect(cutTree(tree, { distance_threshold: d[d.length - 1] * 2 }).n_clusters).toBe(1);
  });

  it('cut labels agree with the partition implied by following children', () => {
    const n = tree.n_samples;
    const k = 6;
    // Brute force: nodes of the top k: start from the root and split the largest id.
    const top = new Set<number>([2 * n - 2]);
    while (top.size < k) {
      const m = Math.max(...top);
      top.delete(m);
      top.add(tree.children[2 * (m - n)]);
      top.add(tree.children[2 * (m - n) + 1]);
    }
    const ref = new Int32Array(n);
    let lab = 0;
    for (const node of top) {
      const stack = [node];
      while (stack.length) {
        const v = stack.pop()!;
        if (v < n) ref[v] = lab;
        else stack.push(tree.children[2 * (v - n)], tree.children[2 * (v - n) + 1]);
      }
      lab++;
    }
    expect(ari(cutTree(tree, { n_clusters: k }).labels, ref)).toBe(1);
  });

  it('deterministic: the same input gives the same tree and labels', () => {
    const again = fitAgglomerative(X, { n_clusters: 5, linkage: 'average' });
    const first = fitAgglomerative(X, { n_clusters: 5, linkage: 'average' });
    expect(Array.from(again.children)).toEqual(Array.from(first.children));
    expect(Array.from(again.labels)).toEqual(Array.from(first.labels));
    expect(again.n_leaves).toBe(200);
  });
});

describe('agglomerative: validation, memory, progress, cancellation', () => {
  const X = randomMatrix(30, 3, 1);

  function paramError(fn: () => unknown): ParameterError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      return e as ParameterError;
    }
    throw new Error('expected a ParameterError');
  }

  it('ward with a non-euclidean metric is refused, naming the metric', () => {
    const e = paramError(() => fitAgglomerative(X, { n_clusters: 2, linkage: 'ward', metric: 'manhattan' }));
    expect(e.param).toBe('metric');
    expect(e.message).toBe('euclidean is the only metric accepted with ward linkage (got manhattan)');
    expect(paramError(() => buildTree(X, { linkage: 'ward', metric: 'cosine' })).message).toMatch(/got cosine/);
  });

  it('exactly one of n_clusters and distance_threshold', () => {
    const both = paramError(() => fitAgglomerative(X, { n_clusters: 2, distance_threshold: 1 }));
    expect(both.message).toMatch(/^Exactly one of n_clusters and distance_threshold has to be set/);
    const neither = paramError(() => fitAgglomerative(X, { n_clusters: null, distance_threshold: null }));
    expect(neither.message).toMatch(/^Exactly one of n_clusters and distance_threshold has to be set/);
    // scikit-learn's default n_clusters = 2 when nothing is given
    expect(fitAgglomerative(X, {}).n_clusters).toBe(2);
  });

  it('n_clusters between 1 and n_samples; distance_threshold >= 0; known linkage and metric', () => {
    const big = paramError(() => fitAgglomerative(X, { n_clusters: 31 }));
    expect(big.param).toBe('n_clusters');
    expect(big.message).toMatch(/n_samples = 30 \(got 31\)/);
    expect(paramError(() => fitAgglomerative(X, { n_clusters: 0 })).message).toMatch(/n_clusters must be >= 1 \(got 0\)/);
    expect(paramError(() => fitAgglomerative(X, { n_clusters: 2.5 })).param).toBe('n_clusters');
    expect(paramError(() => fitAgglomerative(X, { n_clusters: null, distance_threshold: -1 })).param).toBe('distance_threshold');
    expect(paramError(() => fitAgglomerative(X, { n_clusters: 2, linkage: 'centroid' as Linkage })).param).toBe('linkage');
    expect(paramError(() => fitAgglomerative(X, { n_clusters: 2, metric: 'l3' as Metric })).param).toBe('metric');
    expect(fitAgglomerative(X, { n_clusters: 30 }).n_clusters).toBe(30);
    expect(fitAgglomerative(X, { n_clusters: 1 }).labels.every((l) => l === 0)).toBe(true);
  });

  it('average / complete refuse a pairwise matrix over the memory budget, saying its size', () => {
    expect(agglomerativeMemoryBytes(8950, 17, 'average')).toBeGreaterThan(8950 * 8949 * 4);
    expect(agglomerativeMemoryBytes(8950, 17, 'average')).toBeLessThan(2 ** 30);
    expect(agglomerativeMemoryBytes(100000, 17, 'complete')).toBeGreaterThan(4e10);
    expect(agglomerativeMemoryBytes(100000, 17, 'ward')).toBeLessThan(1e8);
    expect(agglomerativeMemoryBytes(100000, 17, 'single')).toBeLessThan(1e8);
    // 100000 rows: refused before anything big is allocated (default budget 1 GiB)
    const Xbig: Matrix = { data: new Float64Array(100000 * 2), n_samples: 100000, n_features: 2 };
    const e = paramError(() => fitAgglomerative(Xbig, { n_clusters: 3, linkage: 'average' }));
    expect(e.param).toBe('memory_budget_bytes');
    expect(e.message).toBe(
      'average linkage on 100000 rows needs 40.0 GB for the pairwise distances, over the 1 GiB budget; use ward or single linkage, or a sample',
    );
    const small = paramError(() => buildTree(X, { linkage: 'complete', memory_budget_bytes: 1000 }));
    expect(small.message).toMatch(/^complete linkage on 30 rows needs .* over the 1.0 kB budget; use ward or single linkage, or a sample$/);
    expect(buildTree(X, { linkage: 'complete', memory_budget_bytes: 1e6 }).distances.length).toBe(29);
  });

  it('reports progress on stage "building tree", non-decreasing, ending at 1', () => {
    for (const linkage of ['ward', 'average', 'single'] as Linkage[]) {
      const seen: Progress[] = [];
      buildTree(randomMatrix(300, 3, 2), { linkage }, { on_progress: (p) => seen.push(p) });
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.every((p) => p.stage === 'building tree')).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
      expect(seen[seen.length - 1].fraction).toBe(1);
    }
  });

  it('cancels: an aborted signal before the build, and an abort during it', () => {
    const pre = new AbortController();
    pre.abort();
    expect(() => fitAgglomerative(X, { n_clusters: 2 }, { signal: pre.signal })).toThrow(CancelledError);
    // Abort from inside the build: the first progress report (the build has started) fires the signal.
    for (const linkage of ['ward', 'complete', 'single'] as Linkage[]) {
      const ctl = new AbortController();
      let reports = 0;
      const run = () =>
        buildTree(
          randomMatrix(500, 4, 3),
          { linkage },
          {
            signal: ctl.signal,
            on_progress: () => {
              reports++;
              ctl.abort();
            },
          },
        );
      expect(run).toThrow(CancelledError);
      expect(reports).toBe(1);
    }
  });
});

describe('single linkage: Borůvka on a KD-tree (euclidean, n >= 256) equals Prim', () => {
  it('the same heights exactly and the same clusters at every cut (blobs and a grid with ties)', () => {
    const blobsX = (() => {
      const rs = new RandomState(91);
      const n = 700;
      const d = 6;
      const c = Array.from({ length: 5 }, () => Array.from({ length: d }, () => rs.normal() * 4));
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const cc = c[rs.randint(5)];
        for (let f = 0; f < d; f++) data[i * d + f] = cc[f] + rs.normal() * (0.3 + rs.random());
      }
      return { data, n_samples: n, n_features: d };
    })();
    const gridX = (() => {
      const rs = new RandomState(92);
      const data = new Float64Array(500 * 3);
      for (let i = 0; i < data.length; i++) data[i] = rs.randint(6);
      return { data, n_samples: 500, n_features: 3 };
    })();
    for (const X of [blobsX, gridX, randomMatrix(400, 17, 93)]) {
      const tree = buildTree(X, { linkage: 'single', metric: 'euclidean' });
      expectValidTree(tree);
      const prim = relabelMerges(primOnTheFly(X, 'euclidean', {}, () => {}), X.n_samples);
      expect(Array.from(tree.distances)).toEqual(Array.from(prim.distances));
      const primTree: HierarchyTree = { ...tree, children: prim.children, distances: prim.distances };
      // cut by threshold (below, at and above merge heights): the partitions are the components, unique
      const hs = Array.from(new Set(Array.from(tree.distances))).filter((_, i) => i % 7 === 0);
      for (const h of hs) {
        for (const t of [h, h * (1 + 1e-9) + 1e-12]) {
          const a = cutTree(tree, { distance_threshold: t });
          const b = cutTree(primTree, { distance_threshold: t });
          expect(a.n_clusters).toBe(b.n_clusters);
          expect(ari(a.labels, b.labels)).toBe(1);
        }
      }
    }
  });
});

describe('agglomerative vs ml-hclust (first 300 rows of a data set)', () => {
  const X = HAVE_SHARED ? firstRows(ccStandardized(), 300) : randomMatrix(300, 5, 11);
  const rows: number[][] = [];
  for (let i = 0; i < X.n_samples; i++) rows.push(Array.from(X.data.subarray(i * X.n_features, (i + 1) * X.n_features)));
  const manhattan = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
  // ml-hclust's 'ward2' is the Lance-Williams Ward update on distances (SciPy's Ward); 'ward' is not.
  const methods: [Linkage, string, Metric][] = [
    ['single', 'single', 'euclidean'],
    ['complete', 'complete', 'euclidean'],
    ['average', 'average', 'euclidean'],
    ['ward', 'ward2', 'euclidean'],
    ['average', 'average', 'manhattan'],
    ['complete', 'complete', 'manhattan'],
  ];
  for (const [linkage, method, metric] of methods) {
    it(`${linkage}/${metric}: merge heights equal ml-hclust's ${method}`, () => {
      const tree = buildTree(X, { linkage, metric });
      expectValidTree(tree);
      const root = agnes(rows, { method: method as any, ...(metric === 'manhattan' ? { distanceFunction: manhattan } : {}) });
      const heights: number[] = [];
      root.traverse((c) => {
        if (!c.isLeaf) heights.push(c.height);
      });
      expectSameHeights(tree.distances, heights);
    });
  }
});

describe.skipIf(!HAVE_SHARED)('agglomerative vs scikit-learn (toy_shapes, no connectivity)', () => {
  if (!HAVE_SHARED) console.warn(SHARED_SKIP_REASON);
  it('labels ARI 1 for every unstructured model of the six data sets', () => {
    let checked = 0;
    for (const ds of oracle('toy_shapes').datasets) {
      const X = fromRows(ds.X_std);
      for (const e of ds.agglomerative) {
        if (e.connectivity !== null) continue;
        const r = fitAgglomerative(X, { n_clusters: e.n_clusters, linkage: e.linkage, metric: e.metric });
        expect(r.n_clusters).toBe(e.n_clusters);
        expect(`${ds.name} ${e.linkage}/${e.metric}: ARI ${ari(r.labels, e.labels)}`).toBe(`${ds.name} ${e.linkage}/${e.metric}: ARI 1`);
        checked++;
      }
    }
    expect(checked).toBe(30);
  });
});

describe.skipIf(!HAVE_SHARED)('agglomerative vs scikit-learn (cc_general 8950 x 17, full trees)', () => {
  const combos: [Linkage, Metric][] = [
    ['ward', 'euclidean'],
    ['complete', 'euclidean'],
    ['complete', 'manhattan'],
    ['complete', 'cosine'],
    ['average', 'euclidean'],
    ['average', 'manhattan'],
    ['average', 'cosine'],
    ['single', 'euclidean'],
    ['single', 'manhattan'],
    ['single', 'cosine'],
  ];
  for (const [linkage, metric] of combos) {
    it(`${linkage}/${metric}: sorted merge distances to 1e-6, and labels ARI 1 at every n_clusters`, () => {
      const o = oracle('cc_general').agglomerative;
      const X = ccStandardized();
      const tree = buildTree(X, { linkage, metric });
      expectValidTree(tree);
      const full = o.full_trees.find((t: any) => t.linkage === linkage && t.metric === metric);
      expect(full).toBeDefined();
      expectSameHeights(tree.distances, full.distances);
      const cases = o.cases.filter((c: any) => c.linkage === linkage && c.metric === metric);
      expect(cases.length).toBe(5);
      for (const c of cases) {
        const { labels, n_clusters } = cutTree(tree, { n_clusters: c.n_clusters });
        expect(n_clusters).toBe(c.n_clusters);
        expect(`k=${c.n_clusters}: ARI ${ari(labels, c.labels)}`).toBe(`k=${c.n_clusters}: ARI 1`);
      }
    });
  }
});
