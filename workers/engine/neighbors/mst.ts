/**
 * Minimum spanning tree of the mutual-reachability graph: w(a, b) = max(core_a, core_b, d(a, b)), the
 * graph behind DBSCAN's eps re-cut and HDBSCAN. Two exact algorithms, same components at every threshold:
 * - `algorithm: 'prim'`: O(n^2) time, O(n) memory, any metric (cosine included);
 * - `algorithm: 'boruvka'`: Borůvka rounds, each component's lightest outgoing edge found by KD-tree
 *   searches (pruned by core distances, box bounds and nodes lying inside the component), seeded from
 *   the k-nearest-neighbour lists (euclidean / manhattan).
 * A pair's distance is computed by the same kernel as the kNN search, so w equals max(core_a, core_b,
 * d(a, b)) with d exactly the value a direct computation gives (and the core test uses). Ties in w are
 * broken arbitrarily; any minimum spanning forest has the same components at every threshold.
 * Edges come out sorted by weight, ascending (`a[i], b[i], w[i]`).
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { throwIfAborted } from '../errors.ts';
import { boxDistance, buildKdTree, type KdTree } from './kdtree.ts';
import { progressReporter } from './knn.ts';

export interface SpanningTree {
  a: Int32Array;
  b: Int32Array;
  w: Float64Array;
}

export interface MstOptions extends FitOptions {
  /** Default 'auto': Borůvka for euclidean / manhattan when n_samples >= 256, Prim otherwise. */
  algorithm?: 'auto' | 'prim' | 'boruvka';
  /** kNN lists (n x k, self first) to seed Borůvka's first rounds; optional. */
  knn?: { indices: Int32Array; distances: Float64Array; k: number };
  /** A tree of this X from `buildKdTree(X, leaf, metric === 'euclidean')`, to share with the kNN search. */
  tree?: KdTree;
}

const SLACK = 1 + 1e-12; // partial sums are abandoned only when clearly above the bound (rounding-safe)

export function mutualReachabilityMst(X: Matrix, core: Float64Array, metric: Metric, opts: MstOptions = {}): SpanningTree {
  const n = X.n_samples;
  const alg = opts.algorithm ?? 'auto';
  const report = progressReporter(opts, 'spanning tree');
  report(0);
  let out: SpanningTree;
  if (n <= 1) out = { a: new Int32Array(0), b: new Int32Array(0), w: new Float64Array(0) };
  else if (metric !== 'cosine' && (alg === 'boruvka' || (alg === 'auto' && n >= 256))) {
    out = boruvka(X, core, metric === 'manhattan', opts, report);
  } else out = prim(X, core, metric, opts, report);
  report(1);
  return out;
}

function sortEdges(m: number, ea: Int32Array, eb: Int32Array, ew: Float64Array): SpanningTree {
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((x, y) => ew[x] - ew[y] || x - y);
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = order[i];
    a[i] = ea[o];
    b[i] = eb[o];
    w[i] = ew[o];
  }
  return { a, b, w };
}

/**
 * Prim's algorithm on the complete graph without a matrix. A pair is skipped when max(core_a, core_b)
 * already reaches the candidate's best edge; a distance is abandoned once its partial sum exceeds it.
 */
function prim(X: Matrix, core: Float64Array, metric: Metric, opts: FitOptions, report: (f: number) => void): SpanningTree {
  const n = X.n_samples;
  const d = X.n_features;
  const data = X.data;
  const m = n - 1;
  const ea = new Int32Array(m);
  const eb = new Int32Array(m);
  const ew = new Float64Array(m);
  let nrm: Float64Array | null = null;
  if (metric === 'cosine') {
    nrm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
      nrm[i] = s === 0 ? 1 : Math.sqrt(s);
    }
  }
  // `rest` holds the vertices outside the tree (first `left` entries); best/from: cheapest known edge.
  const rest = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) rest[i] = i + 1;
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n);
  let left = n - 1;
  let v = 0;
  const total = (n * (n - 1)) / 2;
  let done = 0;
  let t = 0;
  const signal = opts.signal;
  while (left > 0) {
    const cv = core[v];
    const ov = v * d;
    let bi = -1;
    let bw = Infinity;
    for (let r = 0; r < left; r++) {
      const u = rest[r];
      let bu = best[u];
      const cu = core[u];
      const lb = cv > cu ? cv : cu;
      if (lb < bu) {
        const ou = u * d;
        let dist: number;
        if (metric === 'euclidean') {
          const thr = bu * bu * SLACK;
          let s = 0;
          let f = 0;
          for (; f < d; f++) {
            const q = data[ov + f] - data[ou + f];
            s += q * q;
            if ((f & 7) === 7 && s > thr) break;
          }
          dist = f < d ? Infinity : Math.sqrt(s);
        } else if (metric === 'manhattan') {
          const thr = bu * SLACK;
          let s = 0;
          let f = 0;
          for (; f < d; f++) {
            s += Math.abs(data[ov + f] - data[ou + f]);
            if ((f & 7) === 7 && s > thr) break;
          }
          dist = f < d ? Infinity : s;
        } else {
          let s = 0;
          for (let f = 0; f < d; f++) s += data[ov + f] * data[ou + f];
          dist = 1 - s / (nrm![v] * nrm![u]);
          if (dist < 0) dist = 0;
        }
        const w = dist > lb ? dist : lb;
        if (w < bu) {
          best[u] = bu = w;
          from[u] = v;
        }
      }
      if (bu < bw) {
        bw = bu;
        bi = r;
      }
    }
    done += left;
    const u = rest[bi];
    rest[bi] = rest[--left];
    ea[t] = from[u];
    eb[t] = u;
    ew[t] = best[u];
    t++;
    v = u;
    if ((t & 63) === 0) {
      throwIfAborted(signal);
      report(done / total);
    }
  }
  return sortEdges(m, ea, eb, ew);
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const p = parent[parent[x]];
    parent[x] = p;
    x = p;
  }
  return x;
}

/**
 * Borůvka on a KD-tree. Works in tree positions (rows reordered for locality); edges are mapped back to
 * row indices at the end. Each round: every component's lightest outgoing edge (seeded from the kNN lists,
 * then found exactly by tree searches), then the selected edges are added lightest first, skipping any that
 * would close a cycle (the added set is a forest of each component's lightest edge, hence part of a minimum
 * spanning tree, ties included).
 */
function boruvka(X: Matrix, coreRows: Float64Array, manhattan: boolean, opts: MstOptions, report: (f: number) => void): SpanningTree {
  const n = X.n_samples;
  const t: KdTree = opts.tree ?? buildKdTree(X, 16, !manhattan);
  const d = t.d;
  const pts = t.pts;
  const { perm, pos, start, end, left, right, splitDim, splitVal } = t;
  const bpts = t.bpts;
  const nNodes = t.n_nodes;
  const signal = opts.signal;

  const core = new Float64Array(n); // by tree position
  for (let p = 0; p < n; p++) core[p] = coreRows[perm[p]];
  // smallest core distance under each node (children have larger ids than their parent)
  const nodeMinCore = new Float64Array(nNodes);
  for (let nd = nNodes - 1; nd >= 0; nd--) {
    const l = left[nd];
    if (l < 0) {
      let mc = Infinity;
      for (let p = start[nd]; p < end[nd]; p++) if (core[p] < mc) mc = core[p];
      nodeMinCore[nd] = mc;
    } else {
      const a = nodeMinCore[l];
      const b = nodeMinCore[right[nd]];
      nodeMinCore[nd] = a < b ? a : b;
    }
  }

  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) parent[p] = p;
  const comp = new Int32Array(n);
  const nodeComp = new Int32Array(nNodes);
  const bestW = new Float64Array(n);
  const bestA = new Int32Array(n);
  const bestB = new Int32Array(n);
  const m = n - 1;
  const ea = new Int32Array(m);
  const eb = new Int32Array(m);
  const ew = new Float64Array(m);
  let nEdges = 0;
  const depth = 4 * Math.ceil(Math.log2(nNodes + 2)) + 64;
  const stack = new Int32Array(depth);
  const stackB = new Float64Array(depth);
  const knn = opts.knn;
  // per point (tree position): a lower bound of the weight of any edge from it leaving its component. Components
  // only grow, so a bound stays valid in later rounds, and a point whose bound reaches its component's best
  // edge found so far need not search.
  const lightest = new Float64Array(n);
  let round = 0;

  while (nEdges < m) {
    throwIfAborted(signal);
    for (let p = 0; p < n; p++) comp[p] = find(parent, p);
    for (let nd = nNodes - 1; nd >= 0; nd--) {
      const l = left[nd];
      if (l < 0) {
        const c = comp[start[nd]];
        let same = c;
        for (let p = start[nd] + 1; p < end[nd]; p++) {
          if (comp[p] !== c) {
            same = -1;
            break;
          }
        }
        nodeComp[nd] = same;
      } else {
        const a = nodeComp[l];
        nodeComp[nd] = a >= 0 && a === nodeComp[right[nd]] ? a : -1;
      }
    }
    bestW.fill(Infinity);

    // seed with kNN edges: exact mutual-reachability weights of real edges
    if (knn && knn.k > 1) {
      const k = knn.k;
      for (let i = 0; i < n; i++) {
        const p = pos[i];
        const cp = comp[p];
        const ci = core[p];
        for (let s = i * k + 1, e = i * k + k; s < e; s++) {
          const r = pos[knn.indices[s]];
          const cr = comp[r];
          if (cr === cp) continue;
          let w = knn.distances[s];
          if (ci > w) w = ci;
          if (core[r] > w) w = core[r];
          if (w < bestW[cp]) {
            bestW[cp] = w;
            bestA[cp] = p;
            bestB[cp] = r;
          }
          if (w < bestW[cr]) {
            bestW[cr] = w;
            bestA[cr] = r;
            bestB[cr] = p;
          }
        }
      }
    }

    // exact search: each point looks for a lighter edge leaving its component
    for (let p = 0; p < n; p++) {
      const c = comp[p];
      const cq = core[p];
      let bw = bestW[c];
      if (cq >= bw || lightest[p] >= bw) continue;
      const qOff = p * d;
      let sp = 0;
      stack[sp] = 0;
      stackB[sp++] = 0;
      while (sp > 0) {
        --sp;
        const nd = stack[sp];
        if (stackB[sp] >= bw || nodeMinCore[nd] >= bw) continue;
        const l = left[nd];
        if (l >= 0) {
          // the child on the query's side inherits this node's bound; the other one's is computed.
          // The nearer one is pushed last, so searched first.
          const rg = right[nd];
          const goLeft = bpts[qOff + splitDim[nd]] < splitVal[nd];
          const near = goLeft ? l : rg;
          const far = goLeft ? rg : l;
          const nb = stackB[sp];
          if (nodeComp[far] !== c) {
            const fb = boxDistance(t, qOff, far, manhattan);
            if (fb < bw) {
              stack[sp] = far;
              stackB[sp++] = fb;
            }
          }
          if (nodeComp[near] !== c) {
            stack[sp] = near;
            stackB[sp++] = nb;
          }
          continue;
        }
        for (let r = start[nd], e = end[nd]; r < e; r++) {
          const cr = comp[r];
          if (cr === c) continue;
          const crr = core[r];
          const lb = cq > crr ? cq : crr;
          if (lb >= bw) continue;
          const ro = r * d;
          let dist: number;
          if (manhattan) {
            const thr = bw * SLACK;
            let u = 0;
            let f = 0;
            for (; f < d; f++) {
              u += Math.abs(pts[qOff + f] - pts[ro + f]);
              if ((f & 7) === 7 && u > thr) break;
            }
            if (f < d) continue;
            dist = u;
          } else {
            const thr = bw * bw * SLACK;
            let u = 0;
            let f = 0;
            for (; f < d; f++) {
              const g = pts[qOff + f] - pts[ro + f];
              u += g * g;
              if ((f & 7) === 7 && u > thr) break;
            }
            if (f < d) continue;
            dist = Math.sqrt(u);
          }
          const w = dist > lb ? dist : lb;
          if (w < bw) {
            bw = w;
            bestW[c] = w;
            bestA[c] = p;
            bestB[c] = r;
            if (w < bestW[cr]) {
              bestW[cr] = w;
              bestA[cr] = r;
              bestB[cr] = p;
            }
          }
        }
      }
      // no edge from p leaving its component is lighter than bw: nor will one be in later rounds
      lightest[p] = bw;
      if ((p & 1023) === 1023) throwIfAborted(signal);
    }

    // add the selected edges, lightest first, skipping cycles
    const sel: number[] = [];
    for (let p = 0; p < n; p++) if (comp[p] === p && bestW[p] < Infinity) sel.push(p);
    sel.sort((x, y) => bestW[x] - bestW[y] || x - y);
    for (const c of sel) {
      const ra = find(parent, bestA[c]);
      const rb = find(parent, bestB[c]);
      if (ra === rb) continue;
      parent[ra] = rb;
      ea[nEdges] = perm[bestA[c]];
      eb[nEdges] = perm[bestB[c]];
      ew[nEdges] = bestW[c];
      nEdges++;
    }
    round++;
    report(nEdges / m);
    if (sel.length === 0) throw new Error('internal error: Borůvka round found no edge');
  }
  void round;
  return sortEdges(m, ea, eb, ew);
}

