/**
 * DBSCAN as scikit-learn's `sklearn.cluster.DBSCAN(eps, min_samples, metric)`, with an "instant eps" index.
 *
 * For fixed (X, min_samples, metric) `buildDbscanIndex` computes once:
 * - each point's k = min_samples nearest neighbours (self included, first) and their distances;
 * - the core distance (distance to the min_samples-th of them): a point is core at eps iff core <= eps,
 *   i.e. at least min_samples points (itself included) lie within eps, scikit-learn's rule;
 * - the minimum spanning tree of the mutual-reachability graph, w(a, b) = max(core_a, core_b, d(a, b)),
 *   edges sorted by weight.
 * Euclidean and manhattan (n >= 256) use one KD-tree for both (neighbors/kdtree.ts; for euclidean its cells
 * follow the principal axes): exact kNN searches, then Borůvka with tree searches (neighbors/mst.ts).
 * Cosine (and small n) uses brute force and Prim (O(n^2) time, O(n) memory, no distance matrix).
 * Progress stages: 'neighbours', 'spanning tree'; both check opts.signal.
 *
 * `cutDbscan(index, eps)` is then O(n k): core points are those with core <= eps; clusters of core points
 * are the components of the tree edges with w <= eps (a minimum spanning forest has the same components at
 * every threshold as the full graph); a non-core point has fewer than min_samples points within eps, so
 * all of them are in its neighbour list: it joins the smallest cluster label among its core neighbours
 * within eps, or is noise. Clusters are numbered by the smallest index of a core point they hold. This is
 * exactly what scikit-learn's scan produces (it grows clusters from unlabelled core points in index order,
 * and a border point keeps the first label it gets), so labels match scikit-learn's label for label.
 *
 * `fitDbscan(X, params)` (one eps, no slider: the CLI, a configuration import) does not build the index: it
 * runs the direct algorithm (radius counts for the core test, union-find of core pairs within eps), whose cost
 * shrinks with eps as scikit-learn's does, and returns the very labels `cutDbscan` would (tested).
 *
 * Distances are computed as metrics/pairwise.ts does (euclidean: sqrt of the sum of squared differences
 * in feature order); the core test and the tree use the same value for the same pair.
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { ParameterError, checkInt, checkOneOf, checkPositive, throwIfAborted } from '../errors.ts';
import { METRICS, checkFinite, kNearestNeighbors, progressReporter } from '../neighbors/knn.ts';
import { mutualReachabilityMst } from '../neighbors/mst.ts';
import { boxBound, boxFarBound, buildKdTree } from '../neighbors/kdtree.ts';

export interface DbscanParams {
  eps: number;
  /** Points within eps needed for a core point, the point itself included. Default 5 (scikit-learn's). */
  min_samples?: number;
  /** Default 'euclidean'. */
  metric?: Metric;
}

/** Everything that does not depend on eps. Plain typed arrays: cache it, transfer it. */
export interface DbscanIndex {
  n_samples: number;
  min_samples: number;
  metric: Metric;
  /** n_samples x min_samples neighbour indices (row-major, sorted by distance, self first). */
  knn_indices: Int32Array;
  /** Distances matching knn_indices. */
  knn_distances: Float64Array;
  /** Distance to the min_samples-th neighbour (self counted). */
  core_distances: Float64Array;
  /** Mutual-reachability minimum spanning tree: n_samples - 1 edges (a, b, w), sorted by w ascending. */
  mst_a: Int32Array;
  mst_b: Int32Array;
  mst_w: Float64Array;
}

export interface DbscanResult {
  /** Cluster per row, -1 = noise; clusters numbered as scikit-learn numbers them. */
  labels: Int32Array;
  /** Sorted indices of the core points. */
  core_sample_indices: Int32Array;
  n_clusters: number;
  n_noise: number;
}

export const DEFAULT_MIN_SAMPLES = 5;
const INDEX_LEAF = 32;

function validateIndexParams(X: Matrix, params: { min_samples?: number; metric?: Metric }): { min_samples: number; metric: Metric } {
  const metric = checkOneOf('metric', params.metric ?? 'euclidean', METRICS);
  const min_samples = checkInt('min_samples', params.min_samples ?? DEFAULT_MIN_SAMPLES, 1);
  if (min_samples > X.n_samples) {
    throw new ParameterError('min_samples', `min_samples must be <= the number of samples, ${X.n_samples} (got ${min_samples})`);
  }
  return { min_samples, metric };
}

/** Builds the eps-independent index (k nearest neighbours, core distances, mutual-reachability MST). */
export function buildDbscanIndex(X: Matrix, params: { min_samples?: number; metric?: Metric }, opts: FitOptions = {}): DbscanIndex {
  const { min_samples, metric } = validateIndexParams(X, params);
  checkFinite(X);
  throwIfAborted(opts.signal);
  const n = X.n_samples;
  const k = min_samples;
  // one KD-tree (rotated onto the principal axes for euclidean) serves both searches; leaves of 32 measured
  // best overall (16: more node visits in the kNN search; 64: slower Borůvka)
  const tree = metric !== 'cosine' && n >= 256 ? buildKdTree(X, INDEX_LEAF, metric === 'euclidean') : undefined;
  const knn = kNearestNeighbors(X, k, metric, { ...opts, algorithm: tree ? 'kd_tree' : 'brute', tree });
  const core = new Float64Array(n);
  for (let i = 0; i < n; i++) core[i] = knn.distances[i * k + k - 1];
  const mst = mutualReachabilityMst(X, core, metric, { ...opts, knn, tree, algorithm: tree ? 'boruvka' : 'prim' });
  return {
    n_samples: n,
    min_samples,
    metric,
    knn_indices: knn.indices,
    knn_distances: knn.distances,
    core_distances: core,
    mst_a: mst.a,
    mst_b: mst.b,
    mst_w: mst.w,
  };
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const p = parent[parent[x]];
    parent[x] = p;
    x = p;
  }
  return x;
}

/** Labels for one eps from a built index: O(n_samples x min_samples), no distance computed. */
export function cutDbscan(index: DbscanIndex, eps: number): DbscanResult {
  checkPositive('eps', eps);
  const n = index.n_samples;
  const k = index.min_samples;
  const core = index.core_distances;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // MST edges sorted by weight: the prefix with w <= eps joins core points (both ends are core there)
  const { mst_a, mst_b, mst_w } = index;
  let lo = 0;
  let hi = mst_w.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mst_w[mid] <= eps) lo = mid + 1;
    else hi = mid;
  }
  for (let e = 0; e < lo; e++) {
    const ra = find(parent, mst_a[e]);
    const rb = find(parent, mst_b[e]);
    if (ra !== rb) {
      if (ra < rb) parent[rb] = ra;
      else parent[ra] = rb;
    }
  }
  // number clusters by their smallest core index (scan in index order)
  const labels = new Int32Array(n).fill(-1);
  const rootLabel = new Int32Array(n).fill(-1);
  let nCore = 0;
  let nClusters = 0;
  for (let i = 0; i < n; i++) {
    if (core[i] <= eps) {
      nCore++;
      const r = find(parent, i);
      let l = rootLabel[r];
      if (l < 0) l = rootLabel[r] = nClusters++;
      labels[i] = l;
    }
  }
  const coreIdx = new Int32Array(nCore);
  const kd = index.knn_distances;
  const ki = index.knn_indices;
  let nNoise = 0;
  for (let i = 0, c = 0; i < n; i++) {
    if (core[i] <= eps) {
      coreIdx[c++] = i;
      continue;
    }
    // border: the smallest label among core neighbours within eps (all of them are in the list)
    let l = -1;
    for (let p = i * k + 1, e = i * k + k; p < e; p++) {
      if (kd[p] > eps) break;
      const j = ki[p];
      const lj = core[j] <= eps ? labels[j] : -1;
      if (lj >= 0 && (l < 0 || lj < l)) l = lj;
    }
    labels[i] = l;
    if (l < 0) nNoise++;
  }
  return { labels, core_sample_indices: coreIdx, n_clusters: nClusters, n_noise: nNoise };
}

/**
 * DBSCAN in one call, for a single eps (the CLI, a configuration import): the direct algorithm, whose cost
 * shrinks with eps as scikit-learn's does, with labels identical to `cutDbscan(buildDbscanIndex(...), eps)`.
 * 1. core test: each point counts its neighbours within eps (radius search, stopped as soon as min_samples
 *    are found; a non-core point's search runs to the end, keeps its few neighbours for step 3 and credits
 *    them, so that later searches skip the pairs already counted);
 * 2. clusters: the core neighbours met in step 1 are joined first (no distance needed), then union-find over
 *    pairs of core points within eps (a pair already in one component is skipped before its distance is
 *    computed; a tree node lying wholly within eps, or known to be one component, is handled at once);
 * 3. clusters numbered by their smallest core index; a border point takes the smallest label among its core
 *    neighbours within eps, as the index cut (and scikit-learn's scan) does.
 * With n >= 256 the searches run on a KD-tree (neighbors/kdtree.ts, rotated onto the principal axes except
 * for manhattan; for cosine, a tree of the rows scaled to unit length filters the pairs); small n, and cosine
 * with an all-zero row, use blocked brute force. A distance is compared with eps exactly as the
 * index compares it (euclidean: sqrt of the sum of squares in feature order, via the largest sum whose
 * square root is <= eps). Progress stages: 'core points', 'clusters'. Validates eps before any work.
 */
export function fitDbscan(X: Matrix, params: DbscanParams, opts: FitOptions = {}): DbscanResult {
  const eps = checkPositive('eps', params.eps);
  const { min_samples, metric } = validateIndexParams(X, params);
  checkFinite(X);
  throwIfAborted(opts.signal);
  const n = X.n_samples;
  if (n >= 256) {
    if (metric !== 'cosine') return directTree(X, eps, min_samples, metric, opts);
    const unit = unitRows(X);
    if (unit) return directTree(X, eps, min_samples, metric, opts, unit);
  }
  return directBrute(X, eps, min_samples, metric, opts);
}

/** The largest double s with Math.sqrt(s) <= eps: `sqrt(s) <= eps` is then `s <= sqThreshold(eps)`. */
export function sqThreshold(eps: number): number {
  const buf = new Float64Array(1);
  const bits = new BigInt64Array(buf.buffer);
  const step = (x: number, up: boolean): number => {
    buf[0] = x;
    bits[0] += up ? 1n : -1n; // x > 0 finite: adjacent doubles
    return buf[0];
  };
  let s = eps * eps;
  if (!Number.isFinite(s)) return Infinity;
  while (s > 0 && Math.sqrt(s) > eps) s = step(s, false);
  for (;;) {
    const u = step(s, true);
    if (Number.isFinite(u) && Math.sqrt(u) <= eps) s = u;
    else break;
  }
  return s;
}

/** Leaf size of the direct fit's tree (larger than the kNN tree's: radius searches favour fewer, fuller leaves). */
const LEAF = 32;

/** Union by smaller root id (any rule would do; this one keeps the trees shallow enough with halving). */
function union(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra === rb) return ra;
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

/**
 * Step 3, shared: `core` and `parent` by slot (tree position or row), `rowOf[slot]` the row (null: identity),
 * `nb` / `nbCount` the neighbours within eps kept for each non-core slot (slots, `cap` per slot).
 */
function labelPoints(
  n: number,
  core: Uint8Array,
  parent: Int32Array,
  slotOf: Int32Array | null,
  nb: Int32Array,
  nbCount: Int32Array,
  cap: number,
): DbscanResult {
  const labels = new Int32Array(n).fill(-1);
  const rootLabel = new Int32Array(n).fill(-1);
  let nCore = 0;
  let nClusters = 0;
  for (let i = 0; i < n; i++) {
    const p = slotOf ? slotOf[i] : i;
    if (core[p]) {
      nCore++;
      const r = find(parent, p);
      let l = rootLabel[r];
      if (l < 0) l = rootLabel[r] = nClusters++;
      labels[i] = l;
    }
  }
  const coreIdx = new Int32Array(nCore);
  let nNoise = 0;
  for (let i = 0, c = 0; i < n; i++) {
    const p = slotOf ? slotOf[i] : i;
    if (core[p]) {
      coreIdx[c++] = i;
      continue;
    }
    let l = -1;
    for (let s = p * cap, e = s + nbCount[p]; s < e; s++) {
      const q = nb[s];
      if (!core[q]) continue;
      const lq = rootLabel[find(parent, q)];
      if (l < 0 || lq < l) l = lq;
    }
    labels[i] = l;
    if (l < 0) nNoise++;
  }
  return { labels, core_sample_indices: coreIdx, n_clusters: nClusters, n_noise: nNoise };
}

/** Rows scaled to unit length (cosine); null when a row is all zeros (its cosine distance is 1 to every row). */
function unitRows(X: Matrix): { U: Matrix; norms: Float64Array } | null {
  const { n_samples: n, n_features: d, data } = X;
  const U = new Float64Array(n * d);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
    if (s === 0) return null;
    const nr = Math.sqrt(s);
    norms[i] = nr;
    for (let f = i * d, e = f + d; f < e; f++) U[f] = data[f] / nr;
  }
  return { U: { data: U, n_samples: n, n_features: d }, norms };
}

/**
 * Euclidean / manhattan: the tree is on X and `thr` is the exact threshold of the computed sum. Cosine: the tree
 * is on the unit rows U, where |u - v|^2 = 2 (1 - cos); the tree and a partial sum in U only filter (with a margin
 * far above round-off), and a pair that passes is decided by the exact cosine distance of the index
 * (1 - x.y / (|x| |y|), clipped at 0) on the original rows.
 */
function directTree(X: Matrix, eps: number, ms: number, metric: Metric, opts: FitOptions, unit?: { U: Matrix; norms: Float64Array }): DbscanResult {
  const n = X.n_samples;
  const signal = opts.signal;
  const manhattan = metric === 'manhattan';
  const cos = metric === 'cosine';
  const t = buildKdTree(cos ? unit!.U : X, LEAF, !manhattan);
  // thresholds in the tree's units: pruning / filtering (thr), and "a whole node lies within eps" (thrIn)
  const thr = manhattan ? eps : cos ? 2 * eps * (1 + 1e-9) + 1e-12 : sqThreshold(eps);
  const thrIn = cos ? 2 * eps * (1 - 1e-9) - 1e-12 : thr;
  const radius = manhattan ? eps : Math.sqrt(thr);
  // a node wider than 2 eps cannot lie wholly within eps of a point: skip its "whole node" test
  const wide = new Uint8Array(t.n_nodes);
  for (let nd = 0; nd < t.n_nodes; nd++) {
    let s = 0;
    for (let f = nd * t.d, e = f + t.d; f < e; f++) {
      const g = t.hi[f] - t.lo[f];
      s += manhattan ? g : g * g;
    }
    wide[nd] = (manhattan ? s : Math.sqrt(s)) > 2 * radius * (1 + 1e-6) ? 1 : 0;
  }
  // cosine: the original rows and norms in tree order, for the exact test
  let xo: Float64Array | null = null;
  let no: Float64Array | null = null;
  if (cos) {
    const dd = X.n_features;
    xo = new Float64Array(n * dd);
    no = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const i = t.perm[p];
      xo.set(X.data.subarray(i * dd, i * dd + dd), p * dd);
      no[p] = unit!.norms[i];
    }
  }
  const cosWithin = (qOff: number, ro: number, p: number, r: number): boolean => {
    const x = xo!;
    let s = 0;
    for (let f = 0; f < t.d; f++) s += x[qOff + f] * x[ro + f];
    let v = 1 - s / (no![p] * no![r]);
    if (v < 0) v = 0;
    return v <= eps;
  };
  const { d, pts, bpts, perm, pos, start, end, left, right, splitDim, splitVal } = t;
  const nNodes = t.n_nodes;
  const depth = 4 * Math.ceil(Math.log2(nNodes + 2)) + 64;
  const stack = new Int32Array(depth);
  const stackB = new Float64Array(depth);
  const core = new Uint8Array(n); // by tree position
  const cap = ms;
  const nb = new Int32Array(n * cap);
  const nbCount = new Int32Array(n);

  // 1. core test, in tree order, each search stopped at min_samples points (self included). A non-core
  //    point's search is exhaustive: it credits each later neighbour found (credit[r]), so a later search
  //    skips the non-core points before it (their pairs are counted already), whole nodes of them included,
  //    and a point whose credits already reach min_samples is core without a search.
  let report = progressReporter(opts, 'core points');
  report(0);
  if (ms <= 1) core.fill(1);
  else {
    const credit = new Int32Array(n);
    // coreBefore[q]: core points among tree positions < q (filled as the scan goes)
    const coreBefore = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) {
      coreBefore[p + 1] = coreBefore[p];
      let count = credit[p];
      if (count + 1 >= ms) {
        core[p] = 1;
        coreBefore[p + 1]++;
        continue;
      }
      const qOff = p * d;
      const nbo = p * cap;
      let sp = 0;
      stack[sp] = 0;
      stackB[sp++] = 0;
      search: while (sp > 0) {
        --sp;
        const nd = stack[sp];
        if (stackB[sp] > thr) continue;
        const s0 = start[nd];
        const e0 = end[nd];
        // a node of already searched non-core points only: all its pairs with p are counted
        if (e0 <= p && coreBefore[e0] === coreBefore[s0]) continue;
        if (!wide[nd] && s0 > p && boxFarBound(t, qOff, nd, manhattan) <= thrIn) {
          // the whole node (all after p) lies within eps
          if (count + (e0 - s0) >= ms) {
            count = ms;
            break;
          }
          count += e0 - s0;
          for (let r = s0; r < e0; r++) nb[nbo + nbCount[p]++] = r;
          continue;
        }
        const l = left[nd];
        if (l >= 0) {
          const rg = right[nd];
          const goLeft = bpts[qOff + splitDim[nd]] < splitVal[nd];
          const near = goLeft ? l : rg;
          const far = goLeft ? rg : l;
          const nbnd = stackB[sp];
          const fb = boxBound(t, qOff, far, manhattan);
          if (fb <= thr) {
            stack[sp] = far;
            stackB[sp++] = fb;
          }
          stack[sp] = near;
          stackB[sp++] = nbnd;
          continue;
        }
        for (let r = s0; r < e0; r++) {
          if (r <= p) {
            if (r === p) {
              if (++count >= ms) break search;
            }
            if (!core[r]) continue;
          }
          const ro = r * d;
          let s = 0;
          let f = 0;
          if (manhattan) {
            for (; f < d; f++) {
              s += Math.abs(pts[qOff + f] - pts[ro + f]);
              if ((f & 7) === 7 && s > thr) break;
            }
          } else {
            for (; f < d; f++) {
              const u = pts[qOff + f] - pts[ro + f];
              s += u * u;
              if ((f & 7) === 7 && s > thr) break;
            }
          }
          if (f < d || s > thr || (cos && !cosWithin(qOff, ro, p, r))) continue;
          if (++count >= ms) break search;
          nb[nbo + nbCount[p]++] = r;
        }
      }
      if (count >= ms) {
        core[p] = 1;
        coreBefore[p + 1]++;
      } else {
        // exhaustive: credit the later points found (earlier ones were skipped or are core)
        for (let s = nbo, e = nbo + nbCount[p]; s < e; s++) if (nb[s] > p) credit[nb[s]]++;
      }
      if ((p & 1023) === 1023) {
        throwIfAborted(signal);
        report(p / n);
      }
    }
  }
  report(1);

  // 2. union-find over core pairs within eps, each pair met from its lower tree position
  report = progressReporter(opts, 'clusters');
  report(0);
  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) parent[p] = p;
  const nodeCore = new Int32Array(nNodes);
  for (let nd = nNodes - 1; nd >= 0; nd--) {
    const l = left[nd];
    if (l < 0) {
      let c = 0;
      for (let r = start[nd]; r < end[nd]; r++) c += core[r];
      nodeCore[nd] = c;
    } else nodeCore[nd] = nodeCore[l] + nodeCore[right[nd]];
  }
  // a core point of a node whose core points are known to be in one component (-1: not known)
  const merged = new Int32Array(nNodes).fill(-1);
  // the neighbours the core test met first are within eps: join core ones at no cost
  for (let p = 0; p < n; p++) {
    if (!core[p]) continue;
    for (let s = p * cap, e = s + nbCount[p]; s < e; s++) if (core[nb[s]]) union(parent, p, nb[s]);
  }
  for (let p = 0; p < n; p++) {
    if (!core[p]) continue;
    const qOff = p * d;
    let rp = find(parent, p);
    let sp = 0;
    stack[sp] = 0;
    stackB[sp++] = 0;
    while (sp > 0) {
      --sp;
      const nd = stack[sp];
      if (stackB[sp] > thr) continue;
      const m = merged[nd];
      if (m >= 0 && find(parent, m) === rp) continue;
      const s0 = start[nd];
      const e0 = end[nd];
      if (!wide[nd] && boxFarBound(t, qOff, nd, manhattan) <= thrIn) {
        if (m >= 0) rp = union(parent, p, m);
        else {
          for (let r = s0; r < e0; r++) if (core[r]) rp = union(parent, p, r);
          merged[nd] = p;
        }
        continue;
      }
      const l = left[nd];
      if (l >= 0) {
        const rg = right[nd];
        if (m < 0) {
          // both children known to be one component each, the same one: so is this node
          const ml = nodeCore[l] > 0 ? merged[l] : -2;
          const mr = nodeCore[rg] > 0 ? merged[rg] : -2;
          if (ml !== -1 && mr !== -1) {
            const rep = ml >= 0 ? ml : mr;
            if (ml < 0 || mr < 0 || find(parent, ml) === find(parent, mr)) {
              merged[nd] = rep;
              if (find(parent, rep) === rp) continue;
            }
          }
        }
        const goLeft = bpts[qOff + splitDim[nd]] < splitVal[nd];
        const near = goLeft ? l : rg;
        const far = goLeft ? rg : l;
        const nbnd = stackB[sp];
        if (nodeCore[far] > 0 && end[far] > p + 1) {
          const fb = boxBound(t, qOff, far, manhattan);
          if (fb <= thr) {
            stack[sp] = far;
            stackB[sp++] = fb;
          }
        }
        if (nodeCore[near] > 0 && end[near] > p + 1) {
          stack[sp] = near;
          stackB[sp++] = nbnd;
        }
        continue;
      }
      // a leaf whose core points all end up in p's component is marked as such
      let all = true;
      for (let r = s0; r < e0; r++) {
        if (!core[r] || r === p) continue;
        if (r < p) {
          // met from r's own search already: joined if within eps
          if (all && find(parent, r) !== rp) all = false;
          continue;
        }
        if (find(parent, r) === rp) continue;
        const ro = r * d;
        let s = 0;
        let f = 0;
        if (manhattan) {
          for (; f < d; f++) {
            s += Math.abs(pts[qOff + f] - pts[ro + f]);
            if ((f & 7) === 7 && s > thr) break;
          }
        } else {
          for (; f < d; f++) {
            const u = pts[qOff + f] - pts[ro + f];
            s += u * u;
            if ((f & 7) === 7 && s > thr) break;
          }
        }
        if (f < d || s > thr || (cos && !cosWithin(qOff, ro, p, r))) all = false;
        else rp = union(parent, p, r);
      }
      if (all) merged[nd] = p;
    }
    if ((p & 1023) === 1023) {
      throwIfAborted(signal);
      report(p / n);
    }
  }
  report(1);
  return labelPoints(n, core, parent, pos, nb, nbCount, cap);
}

function directBrute(X: Matrix, eps: number, ms: number, metric: Metric, opts: FitOptions): DbscanResult {
  const n = X.n_samples;
  const d = X.n_features;
  const a = X.data;
  const signal = opts.signal;
  const man = metric === 'manhattan';
  const cos = metric === 'cosine';
  const thr = metric === 'euclidean' ? sqThreshold(eps) : eps;
  let nrm: Float64Array | null = null;
  if (cos) {
    nrm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += a[f] * a[f];
      nrm[i] = s === 0 ? 1 : Math.sqrt(s);
    }
  }
  /** Whether rows i and j lie within eps, computed as the index computes their distance. */
  const within = (i: number, j: number): boolean => {
    const oi = i * d;
    const oj = j * d;
    let s = 0;
    if (cos) {
      for (let f = 0; f < d; f++) s += a[oi + f] * a[oj + f];
      let v = 1 - s / (nrm![i] * nrm![j]);
      if (v < 0) v = 0;
      return v <= thr;
    }
    let f = 0;
    if (man) {
      for (; f < d; f++) {
        s += Math.abs(a[oi + f] - a[oj + f]);
        if ((f & 7) === 7 && s > thr) return false;
      }
    } else {
      for (; f < d; f++) {
        const u = a[oi + f] - a[oj + f];
        s += u * u;
        if ((f & 7) === 7 && s > thr) return false;
      }
    }
    return s <= thr;
  };
  const core = new Uint8Array(n);
  const cap = ms;
  const nb = new Int32Array(n * cap);
  const nbCount = new Int32Array(n);

  // 1. neighbour counts, every pair once (tiled so a block of rows stays in cache)
  let report = progressReporter(opts, 'core points');
  report(0);
  if (ms <= 1) core.fill(1);
  else {
    const cnt = new Int32Array(n).fill(1);
    const B = 256;
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      for (let j0 = i0; j0 < n; j0 += B) {
        const j1 = Math.min(n, j0 + B);
        for (let i = i0; i < i1; i++) {
          for (let j = j0 > i ? j0 : i + 1; j < j1; j++) {
            if (!within(i, j)) continue;
            if (nbCount[i] < cap) nb[i * cap + nbCount[i]++] = j;
            if (nbCount[j] < cap) nb[j * cap + nbCount[j]++] = i;
            cnt[i]++;
            cnt[j]++;
          }
        }
      }
      throwIfAborted(signal);
      report(i1 / n);
    }
    for (let i = 0; i < n; i++) {
      if (cnt[i] >= ms) {
        core[i] = 1;
        nbCount[i] = 0;
      }
    }
  }
  report(1);

  // 2. union-find over core pairs within eps (pairs already joined are skipped unmeasured)
  report = progressReporter(opts, 'clusters');
  report(0);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let i = 0; i < n; i++) {
    if (!core[i]) continue;
    let ri = find(parent, i);
    for (let j = i + 1; j < n; j++) {
      if (!core[j] || find(parent, j) === ri) continue;
      if (within(i, j)) ri = union(parent, i, j);
    }
    if ((i & 255) === 255) {
      throwIfAborted(signal);
      report(i / n);
    }
  }
  report(1);
  return labelPoints(n, core, parent, null, nb, nbCount, cap);
}

/** The k-distance plot: each point's distance to its min_samples-th neighbour (self counted), ascending. */
export function kDistance(index: DbscanIndex): Float64Array {
  return Float64Array.from(index.core_distances).sort();
}

function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0.01;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * A range for an eps slider from the k-distance curve: min near its 1 % quantile, max near its 99 %
 * quantile (outliers would otherwise stretch it), step about 1/200 of the range rounded to 1, 2 or 5 x 10^p,
 * and `suggested` at the knee of the curve (the point farthest below the chord of the curve between the
 * two quantiles, both axes scaled to [0, 1]), the usual heuristic for choosing eps.
 */
export function suggestEpsRange(index: DbscanIndex): { min: number; max: number; step: number; suggested: number } {
  const s = kDistance(index);
  const n = s.length;
  if (n === 0) return { min: 0.01, max: 1, step: 0.01, suggested: 0.5 };
  let lo = quantileSorted(s, 0.01);
  let hi = quantileSorted(s, 0.99);
  if (!(hi > lo)) {
    // degenerate curve (all distances equal or zero): open a small window around it
    const c = hi > 0 ? hi : 1;
    lo = c / 2;
    hi = c * 2;
  }
  const step = niceStep((hi - lo) / 200);
  const min = Math.max(step, Math.floor(lo / step) * step);
  const max = Math.max(min + step, Math.ceil(hi / step) * step);
  // knee: maximise (x - y) on the normalised curve between the two quantiles
  const i0 = Math.floor(0.01 * (n - 1));
  const i1 = Math.max(i0 + 1, Math.ceil(0.99 * (n - 1)));
  const y0 = s[i0];
  const y1 = s[Math.min(n - 1, i1)];
  let bestGap = -Infinity;
  let knee = (lo + hi) / 2;
  if (y1 > y0 && i1 < n) {
    for (let i = i0; i <= i1; i++) {
      const gap = (i - i0) / (i1 - i0) - (s[i] - y0) / (y1 - y0);
      if (gap > bestGap) {
        bestGap = gap;
        knee = s[i];
      }
    }
  }
  let suggested = Math.round(knee / step) * step;
  suggested = Math.min(max, Math.max(min, suggested));
  const clean = (x: number) => Number(x.toPrecision(12));
  return { min: clean(min), max: clean(max), step: clean(step), suggested: clean(suggested) };
}
