/**
 * The dendrogram's top: leaves in tree order, merge heights, and cuts that agree with cutTree (the labels the scatter
 * is coloured by) for every k the top can show.
 */
import { describe, expect, it } from 'vitest';
import { buildTree, cutTree, nClustersForThreshold } from '../../workers/engine/cluster/agglomerative.ts';
import { clustersAtHeight, cutGroups, cutHeights, dendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';

function blobs(n: number, d: number, seed: number): Matrix {
  const rs = new RandomState(seed);
  const centres = Array.from({ length: 5 }, () => Array.from({ length: d }, () => rs.normal() * 6));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[rs.randint(5)];
    for (let f = 0; f < d; f++) data[i * d + f] = c[f] + rs.normal();
  }
  return { data, n_samples: n, n_features: d };
}

describe('dendrogramTop', () => {
  it('lays out a small tree completely: leaves in tree order, links at the merge heights', () => {
    // points on a line: {0, 1} and {5, 6} merge first, 20 last (single linkage)
    const X: Matrix = { data: Float64Array.from([0, 5, 20, 1, 6]), n_samples: 5, n_features: 1 };
    const tree = buildTree(X, { linkage: 'single' });
    const d = dendrogramTop(tree, 100);
    expect(d.n_merges).toBe(4);
    expect(d.n_leaves).toBe(5);
    expect(Array.from(d.height)).toEqual([1, 1, 4, 14]);
    // leaves are samples, adjacent when they merge together
    const leafSample = Array.from(d.node_min_index.slice(0, 5));
    expect(new Set(leafSample)).toEqual(new Set([0, 1, 2, 3, 4]));
    const pos = (s: number) => leafSample.indexOf(s);
    expect(Math.abs(pos(0) - pos(3))).toBe(1);
    expect(Math.abs(pos(1) - pos(4))).toBe(1);
    expect([0, 4]).toContain(pos(2)); // the outlier joins last: at one end
    expect(d.node_size[d.n_leaves + 3]).toBe(5);
    expect(d.below_height).toBe(0);
    // a merge sits between its children
    for (let j = 0; j < d.n_merges; j++) {
      const v = d.n_leaves + j;
      expect(d.node_x[v]).toBe((d.node_x[d.left[j]] + d.node_x[d.right[j]]) / 2);
      expect(d.node_h[v]).toBe(d.height[j]);
    }
  });

  it('truncates to the last merges: leaves are the clusters at top + 1, sizes add up to n', () => {
    const X = blobs(400, 3, 1);
    const tree = buildTree(X, { linkage: 'ward' });
    const d = dendrogramTop(tree, 30);
    expect(d.n_merges).toBe(30);
    expect(d.n_leaves).toBe(31);
    let total = 0;
    for (let i = 0; i < d.n_leaves; i++) total += d.node_size[i];
    expect(total).toBe(400);
    expect(d.height[0]).toBe(tree.distances[400 - 1 - 30]);
    expect(d.below_height).toBe(tree.distances[400 - 2 - 30]);
    expect(Array.from(d.node_x.slice(0, d.n_leaves))).toEqual(Array.from({ length: 31 }, (_, i) => i));
  });

  it('colours every cut as cutTree labels it, and the cut heights give back k', () => {
    const X = blobs(300, 4, 7);
    for (const linkage of ['ward', 'average', 'single'] as const) {
      const tree = buildTree(X, { linkage });
      const d = dendrogramTop(tree, 25);
      for (let k = 1; k <= 26; k++) {
        const { labels } = cutTree(tree, { n_clusters: k });
        const group = cutGroups(d, k);
        // every leaf of the top tree lies inside one cluster of the cut: its group is that cluster's label
        for (let i = 0; i < d.n_leaves; i++) expect(group[i]).toBe(labels[d.node_min_index[i]]);
        expect(new Set(Array.from(group.slice(0, d.n_leaves))).size).toBe(k);
        const { lower, upper } = cutHeights(d, k);
        if (lower < upper) {
          const mid = Number.isFinite(upper) ? (lower + upper) / 2 : lower + 1;
          expect(clustersAtHeight(d, mid)).toBe(k);
          expect(nClustersForThreshold(tree, mid)).toBe(k); // scikit-learn's distance_threshold rule
          if (Number.isFinite(upper)) expect(nClustersForThreshold(tree, upper)).toBe(k);
        }
      }
    }
  });
});
