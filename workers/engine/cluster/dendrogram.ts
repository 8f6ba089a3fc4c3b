/**
 * The top of an agglomerative tree, laid out for drawing (as SciPy's `dendrogram(Z, truncate_mode='lastp')`):
 * the last `top` merges, the clusters they join (the "leaves" of the top tree) placed left to right in tree
 * order, and, for every node, its height, size and smallest sample index. cutTree numbers clusters by their
 * smallest sample index, so the main thread can give each cut's clusters the scatter's colours.
 *
 * Local node ids: 0 .. n_leaves - 1 are the leaves (in display order), n_leaves + j is top merge j
 * (j = 0 is the lowest of the top merges, n_merges - 1 the root).
 */
import type { HierarchyTree } from './agglomerative.ts';

export interface DendrogramTop {
  n_samples: number;
  /** Number of top merges drawn (min(top, n_samples - 1)). */
  n_merges: number;
  n_leaves: number;
  /** Per top merge: its two children (local ids) and its height (non-decreasing). */
  left: Int32Array;
  right: Int32Array;
  height: Float64Array;
  /** Per local node (leaves, then merges): x position (leaves at 0, 1, 2 …), height, size, smallest sample index. */
  node_x: Float64Array;
  node_h: Float64Array;
  node_size: Int32Array;
  node_min_index: Int32Array;
  /** Height of the highest merge below the top ones (0 if the whole tree is drawn). */
  below_height: number;
}

export function dendrogramTop(tree: HierarchyTree, top = 100): DendrogramTop {
  const n = tree.n_samples;
  const total = n - 1;
  const m = Math.max(0, Math.min(Math.floor(top), total));
  const ch = tree.children;
  const dist = tree.distances;
  // size and smallest sample index of every cluster node n + j (samples: 1 and themselves)
  const size = new Int32Array(total);
  const minIdx = new Int32Array(total);
  const sizeOf = (v: number) => (v < n ? 1 : size[v - n]);
  const minOf = (v: number) => (v < n ? v : minIdx[v - n]);
  for (let j = 0; j < total; j++) {
    const a = ch[2 * j];
    const b = ch[2 * j + 1];
    size[j] = sizeOf(a) + sizeOf(b);
    minIdx[j] = Math.min(minOf(a), minOf(b));
  }
  const first = total - m; // global index of the lowest top merge
  const isTop = (v: number) => v >= n && v - n >= first;
  // leaves in display order: depth-first from the root, left child first
  const leaves: number[] = [];
  if (m > 0) {
    const stack = [n + total - 1];
    while (stack.length) {
      const v = stack.pop()!;
      if (isTop(v)) {
        const j = v - n;
        stack.push(ch[2 * j + 1], ch[2 * j]);
      } else leaves.push(v);
    }
  } else if (n >= 1) {
    leaves.push(total > 0 ? n + total - 1 : 0);
  }
  const L = leaves.length;
  const local = new Map<number, number>();
  leaves.forEach((v, i) => local.set(v, i));
  for (let j = 0; j < m; j++) local.set(n + first + j, L + j);
  const nodes = L + m;
  const node_x = new Float64Array(nodes);
  const node_h = new Float64Array(nodes);
  const node_size = new Int32Array(nodes);
  const node_min_index = new Int32Array(nodes);
  leaves.forEach((v, i) => {
    node_x[i] = i;
    node_h[i] = v < n ? 0 : dist[v - n];
    node_size[i] = sizeOf(v);
    node_min_index[i] = minOf(v);
  });
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const height = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const g = first + j;
    const a = local.get(ch[2 * g])!;
    const b = local.get(ch[2 * g + 1])!;
    left[j] = a;
    right[j] = b;
    height[j] = dist[g];
    const v = L + j;
    node_x[v] = (node_x[a] + node_x[b]) / 2;
    node_h[v] = dist[g];
    node_size[v] = size[g];
    node_min_index[v] = minIdx[g];
  }
  return {
    n_samples: n,
    n_merges: m,
    n_leaves: L,
    left,
    right,
    height,
    node_x,
    node_h,
    node_size,
    node_min_index,
    below_height: first > 0 ? dist[first - 1] : 0,
  };
}

/**
 * The heights between which a cut gives exactly k clusters: any distance_threshold t with lower < t <= upper
 * (scikit-learn counts merges with distance >= t). upper is Infinity for k = 1; lower === upper when tied
 * merge heights make exactly k clusters impossible by threshold. Valid for 1 <= k <= n_merges + 1.
 */
export function cutHeights(d: DendrogramTop, k: number): { lower: number; upper: number } {
  const m = d.n_merges;
  const upper = k <= 1 ? Infinity : d.height[m - k + 1];
  const lower = m - k >= 0 ? d.height[m - k] : d.below_height;
  return { lower, upper };
}

/** n_clusters a cut at height t gives, as scikit-learn: merges with height >= t, plus one (capped at n_merges + 1). */
export function clustersAtHeight(d: DendrogramTop, t: number): number {
  let c = 0;
  for (let j = 0; j < d.n_merges; j++) if (d.height[j] >= t) c++;
  return c + 1;
}

/**
 * The colour group of every local node for a cut into k clusters: -1 for merges above the cut (not applied),
 * otherwise the cluster's label as cutTree numbers it (rank of the cluster's smallest sample index).
 */
export function cutGroups(d: DendrogramTop, k: number): Int32Array {
  const L = d.n_leaves;
  const m = d.n_merges;
  const kk = Math.max(1, Math.min(k, m + 1));
  const group = new Int32Array(L + m).fill(-1);
  const firstUnapplied = m - (kk - 1);
  // the clusters: children of unapplied merges that are not themselves unapplied (or the root, for k = 1)
  const roots: number[] = [];
  if (kk === 1) roots.push(m > 0 ? L + m - 1 : 0);
  for (let j = firstUnapplied; j < m; j++) {
    for (const c of [d.left[j], d.right[j]]) if (c < L || c - L < firstUnapplied) roots.push(c);
  }
  const order = [...roots].sort((a, b) => d.node_min_index[a] - d.node_min_index[b]);
  order.forEach((v, label) => (group[v] = label));
  // descend: an applied merge passes its group to its children (parents have higher ids than children)
  for (let j = m - 1; j >= 0; j--) {
    const v = L + j;
    if (group[v] >= 0) {
      group[d.left[j]] = group[v];
      group[d.right[j]] = group[v];
    }
  }
  return group;
}
