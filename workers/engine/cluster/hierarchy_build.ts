/**
 * Full agglomerative trees in O(n^2) time, as SciPy's `linkage` builds them:
 * - ward: nearest-neighbour chain on centroids and sizes (memory O(n d), no pairwise matrix);
 * - average / complete: nearest-neighbour chain on the condensed pairwise matrix with Lance-Williams updates;
 * - single: a minimum spanning tree (memory O(n)): Borůvka on a KD-tree for euclidean (n >= 256), else Prim
 *   with distances computed on the fly.
 * The chain finds merges out of height order; `relabelMerges` sorts them (stable) and gives them
 * scikit-learn / SciPy node ids with a union-find, as SciPy's `label` does.
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { throwIfAborted } from '../errors.ts';
import { mutualReachabilityMst } from '../neighbors/mst.ts';
import { buildKdTree } from '../neighbors/kdtree.ts';

/** Merges in the order found: sample ids standing for the two clusters, and the height. */
export interface RawMerges {
  a: Int32Array;
  b: Int32Array;
  d: Float64Array;
}

const STAGE = 'building tree';

/** Throttled progress (at most one report every 50 ms, plus the final one). */
export function progressReporter(opts: FitOptions): (fraction: number) => void {
  const cb = opts.on_progress;
  if (!cb) return () => {};
  let last = -Infinity;
  return (fraction: number) => {
    const now = performance.now();
    if (now - last >= 50 || fraction >= 1) {
      last = now;
      cb({ stage: STAGE, fraction: Math.min(1, Math.max(0, fraction)) });
    }
  };
}

/**
 * Rows of X copied with the feature count padded to a multiple of 4 (zeros). The padding adds exact zeros
 * to every sum, so distances equal the unpadded ones bit for bit.
 */
interface Packed {
  P: Float64Array;
  dp: number;
  /** Squared row norms (cosine only; a zero row counts as norm 1, as scikit-learn's normalize). */
  sq: Float64Array | null;
}

function pack(X: Matrix, metric: Metric): Packed {
  const { n_samples: n, n_features: d, data } = X;
  const dp = (d + 3) & ~3;
  const P = new Float64Array(n * dp);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) P[i * dp + f] = data[i * d + f];
  let sq: Float64Array | null = null;
  if (metric === 'cosine') {
    sq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
      sq[i] = s === 0 ? 1 : s;
    }
  }
  return { P, dp, sq };
}

/**
 * out[outOff + t] = distance between the row of P at offset `ro` and the row at offset `to + t * dp`, for t < count.
 * Features are taken four at a time (held in locals) over all targets, the partial sums living in `out`;
 * each pair's sum is still accumulated feature by feature in order, as SciPy's pdist does, so the values match it.
 * Cosine: `rsq` is the row's squared norm and tsq[tsqOff + t] the targets'; distance 1 - dot / sqrt(|u|^2 |v|^2).
 */
function distancesTo(
  metric: Metric,
  P: Float64Array,
  dp: number,
  ro: number,
  to: number,
  count: number,
  out: Float64Array,
  outOff: number,
  rsq: number,
  tsq: Float64Array | null,
  tsqOff: number,
): void {
  const end = outOff + count;
  for (let b = 0; b < dp; b += 4) {
    const r0 = P[ro + b];
    const r1 = P[ro + b + 1];
    const r2 = P[ro + b + 2];
    const r3 = P[ro + b + 3];
    const first = b === 0;
    let oj = to + b;
    if (metric === 'euclidean') {
      for (let t = outOff; t < end; t++, oj += dp) {
        let s = first ? 0 : out[t];
        let v = r0 - P[oj];
        s += v * v;
        v = r1 - P[oj + 1];
        s += v * v;
        v = r2 - P[oj + 2];
        s += v * v;
        v = r3 - P[oj + 3];
        s += v * v;
        out[t] = s;
      }
    } else if (metric === 'manhattan') {
      for (let t = outOff; t < end; t++, oj += dp) {
        let s = first ? 0 : out[t];
        s += Math.abs(r0 - P[oj]);
        s += Math.abs(r1 - P[oj + 1]);
        s += Math.abs(r2 - P[oj + 2]);
        s += Math.abs(r3 - P[oj + 3]);
        out[t] = s;
      }
    } else {
      for (let t = outOff; t < end; t++, oj += dp) {
        let s = first ? 0 : out[t];
        s += r0 * P[oj];
        s += r1 * P[oj + 1];
        s += r2 * P[oj + 2];
        s += r3 * P[oj + 3];
        out[t] = s;
      }
    }
  }
  if (metric === 'euclidean') {
    for (let t = outOff; t < end; t++) out[t] = Math.sqrt(out[t]);
  } else if (metric === 'cosine') {
    const q = tsq!;
    for (let t = outOff, u = tsqOff; t < end; t++, u++) {
      let c = out[t] / Math.sqrt(rsq * q[u]);
      if (c > 1) c = 1;
      else if (c < -1) c = -1;
      out[t] = 1 - c;
    }
  }
}

/** Bytes of the condensed pairwise matrix for n rows. */
export function condensedBytes(n: number): number {
  return (n * (n - 1)) / 2 * 8;
}

/** Start of row i in the lower-triangle condensed layout: entry (i, j), j < i, is at lowerBase(i) + j. */
function lowerBase(i: number): number {
  return (i * (i - 1)) / 2;
}

/**
 * Pairwise distances, condensed lower triangle: row i holds d(i, 0..i-1). (SciPy stores the upper triangle;
 * the values are the same bit for bit.) Progress covers [0, share].
 */
export function pdistLower(X: Matrix, metric: Metric, opts: FitOptions, report: (f: number) => void, share: number): Float64Array {
  const n = X.n_samples;
  const D = new Float64Array((n * (n - 1)) / 2);
  const { P, dp, sq } = pack(X, metric);
  const total = D.length || 1;
  for (let i = 1; i < n; i++) {
    const off = lowerBase(i);
    if ((i & 31) === 0) {
      throwIfAborted(opts.signal);
      report((share * off) / total);
    }
    distancesTo(metric, P, dp, i * dp, 0, i, D, off, sq ? sq[i] : 0, sq, 0);
  }
  return D;
}

/**
 * Nearest-neighbour chain on the lower-triangle condensed matrix (from pdistLower), Lance-Williams updates for
 * average or complete linkage. D is consumed. A merged cluster keeps the larger slot (as SciPy); every distance
 * to a dead slot is set to +Infinity, so a search is a plain scan (rows contiguous, columns strided) with no
 * bookkeeping, in SciPy's order (ties go to the chain's previous element, then to the lowest slot). When half
 * the slots are dead the matrix is compacted in place. Progress covers [p0, 1].
 */
export function nnChainCondensed(
  D: Float64Array,
  n: number,
  linkage: 'average' | 'complete',
  opts: FitOptions,
  report: (f: number) => void,
  p0: number,
): RawMerges {
  const m = n - 1;
  const ma = new Int32Array(m);
  const mb = new Int32Array(m);
  const md = new Float64Array(m);
  const size = new Float64Array(n).fill(1);
  const rep = new Int32Array(n); // slot -> a sample of the cluster living there
  for (let i = 0; i < n; i++) rep[i] = i;
  const newSlot = new Int32Array(n);
  let cap = n; // slots in use (the matrix is cap x cap)
  let na = n; // active clusters
  const chain = new Int32Array(n);
  let clen = 0;
  const average = linkage === 'average';
  // Per chain position: the nearest clusters found by the last search of that element (up to 3, sorted by
  // value then slot) and the merge count at that search. After merging the two elements above it, an element
  // has exactly one merge since its search: its new nearest is among the cached ones left and the new cluster.
  const cacheS = new Int32Array(3 * n);
  const cacheV = new Float64Array(3 * n);
  const cacheN = new Int8Array(n);
  const stamp = new Int32Array(n).fill(-2);
  let lastX = -1;
  let lastY = -1;
  /** Rebuilds chain position c's list after the merge of lastX into lastY; false when a full scan is needed. */
  const fromCache = (c: number, z: number): boolean => {
    const co = 3 * c;
    let r = 0;
    let maxR = -Infinity;
    for (let i = 0; i < cacheN[c]; i++) {
      const sl = cacheS[co + i];
      if (sl === lastX || sl === lastY) continue;
      cacheS[co + r] = sl;
      cacheV[co + r] = cacheV[co + i];
      maxR = cacheV[co + i];
      r++;
    }
    if (r === 0) return false;
    const vNew = z < lastY ? D[lowerBase(lastY) + z] : D[lowerBase(z) + lastY];
    // The list stays a true top list if the new cluster is inserted when it is not beyond its last entry
    // (anything uncached is >= maxR); otherwise the new cluster is simply not listed.
    if (vNew <= maxR) {
      if (r === 3) return false; // cannot happen: the list held the merged x
      let i = r;
      while (i > 0 && (cacheV[co + i - 1] > vNew || (cacheV[co + i - 1] === vNew && cacheS[co + i - 1] > lastY))) {
        cacheV[co + i] = cacheV[co + i - 1];
        cacheS[co + i] = cacheS[co + i - 1];
        i--;
      }
      cacheV[co + i] = vNew;
      cacheS[co + i] = lastY;
      r++;
    }
    cacheN[c] = r;
    return true;
  };

  const compact = (): void => {
    let w = 0;
    for (let s = 0; s < cap; s++) newSlot[s] = size[s] > 0 ? w++ : -1;
    // Row by row, in order: every write lands at or before the position it reads (safe in place).
    let out = 0;
    for (let s = 1; s < cap; s++) {
      if (newSlot[s] < 0) continue;
      const rb = lowerBase(s);
      for (let t = 0; t < s; t++) if (newSlot[t] >= 0) D[out++] = D[rb + t];
    }
    for (let s = 0; s < cap; s++) {
      const ns = newSlot[s];
      if (ns >= 0) {
        size[ns] = size[s];
        rep[ns] = rep[s];
      }
    }
    for (let c = 0; c < clen; c++) chain[c] = newSlot[chain[c]];
    stamp.fill(-2); // cached slots are stale
    cap = w;
  };

  for (let k = 0; k < m; k++) {
    if ((k & 63) === 0) {
      throwIfAborted(opts.signal);
      report(p0 + ((1 - p0) * k) / m);
    }
    if (na * 2 <= cap && cap >= 64) compact();
    if (clen === 0) {
      let s = 0;
      while (size[s] === 0) s++;
      stamp[0] = -2;
      chain[clen++] = s;
    }
    let x = 0;
    let y = 0;
    let best = 0;
    for (;;) {
      const c = clen - 1;
      x = chain[c];
      const prev = c > 0 ? chain[c - 1] : -1;
      const dPrev = prev < 0 ? Infinity : prev < x ? D[lowerBase(x) + prev] : D[lowerBase(prev) + x];
      const co = 3 * c;
      if (!(stamp[c] === k - 1 && k > 0 && fromCache(c, x))) {
        // Full scan, keeping the three nearest (value, then slot, order) for the next re-search of x.
        let t1 = Infinity;
        let t2 = Infinity;
        let t3 = Infinity;
        let s1 = -1;
        let s2 = -1;
        let s3 = -1;
        // Slots below x: row x, contiguous.
        const rb = lowerBase(x);
        for (let z = 0; z < x; z++) {
          const v = D[rb + z];
          if (v < t3) {
            if (v < t2) {
              t3 = t2;
              s3 = s2;
              if (v < t1) {
                t2 = t1;
                s2 = s1;
                t1 = v;
                s1 = z;
              } else {
                t2 = v;
                s2 = z;
              }
            } else {
              t3 = v;
              s3 = z;
            }
          }
        }
        // Slots above x: column x, stride z.
        for (let z = x + 1, idx = lowerBase(x + 1) + x; z < cap; idx += z, z++) {
          const v = D[idx];
          if (v < t3) {
            if (v < t2) {
              t3 = t2;
              s3 = s2;
              if (v < t1) {
                t2 = t1;
                s2 = s1;
                t1 = v;
                s1 = z;
              } else {
                t2 = v;
                s2 = z;
              }
            } else {
              t3 = v;
              s3 = z;
            }
          }
        }
        cacheS[co] = s1;
        cacheS[co + 1] = s2;
        cacheS[co + 2] = s3;
        cacheV[co] = t1;
        cacheV[co + 1] = t2;
        cacheV[co + 2] = t3;
        cacheN[c] = s3 >= 0 ? 3 : s2 >= 0 ? 2 : 1;
      }
      stamp[c] = k;
      // SciPy's rule: the previous element of the chain wins ties.
      if (dPrev <= cacheV[co]) {
        y = prev;
        best = dPrev;
        break;
      }
      y = cacheS[co];
      best = cacheV[co];
      stamp[clen] = -2; // a new element at this position: no search yet
      chain[clen++] = y;
    }
    clen -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    ma[k] = rep[x];
    mb[k] = rep[y];
    md[k] = best;
    const nx = size[x];
    const ny = size[y];
    const nxy = nx + ny;
    const rx = lowerBase(x);
    const ry = lowerBase(y);
    // New distances d(z, x u y) go to slot y; d(z, x) becomes +Infinity (dead). Dead z: Infinity stays Infinity.
    if (average) {
      for (let z = 0; z < x; z++) {
        D[ry + z] = (nx * D[rx + z] + ny * D[ry + z]) / nxy;
        D[rx + z] = Infinity;
      }
      for (let z = x + 1, ix = lowerBase(x + 1) + x; z < y; ix += z, z++) {
        D[ry + z] = (nx * D[ix] + ny * D[ry + z]) / nxy;
        D[ix] = Infinity;
      }
      for (let z = y + 1, ix = lowerBase(y + 1) + x; z < cap; ix += z, z++) {
        const iy = ix + (y - x);
        D[iy] = (nx * D[ix] + ny * D[iy]) / nxy;
        D[ix] = Infinity;
      }
    } else {
      for (let z = 0; z < x; z++) {
        D[ry + z] = Math.max(D[rx + z], D[ry + z]);
        D[rx + z] = Infinity;
      }
      for (let z = x + 1, ix = lowerBase(x + 1) + x; z < y; ix += z, z++) {
        D[ry + z] = Math.max(D[ix], D[ry + z]);
        D[ix] = Infinity;
      }
      for (let z = y + 1, ix = lowerBase(y + 1) + x; z < cap; ix += z, z++) {
        const iy = ix + (y - x);
        D[iy] = Math.max(D[ix], D[iy]);
        D[ix] = Infinity;
      }
    }
    D[ry + x] = Infinity;
    size[y] = nxy;
    size[x] = 0;
    na--;
    lastX = x;
    lastY = y;
  }
  report(1);
  return { a: ma, b: mb, d: md };
}

/**
 * Ward's method by nearest-neighbour chain on centroids: the cost of merging a and b is
 * n_a n_b / (n_a + n_b) * |c_a - c_b|^2 and the reported height is sqrt(2 * cost), SciPy's Ward distance.
 * Memory O(n d): the active centroids are kept packed so that a search reads memory in order.
 */
export function nnChainWard(X: Matrix, opts: FitOptions, report: (f: number) => void): RawMerges {
  const n = X.n_samples;
  const d = X.n_features;
  const m = n - 1;
  const ma = new Int32Array(m);
  const mb = new Int32Array(m);
  const md = new Float64Array(m);
  // Packed by position p in the active list: centroid cent[p*d ..], size sz[p], slot id slot[p].
  const cent = packByVariance(X);
  const sz = new Float64Array(n).fill(1);
  const slot = new Int32Array(n);
  const posOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    slot[i] = i;
    posOf[i] = i;
  }
  let na = n;
  const chain = new Int32Array(n); // slot ids
  let clen = 0;

  for (let k = 0; k < m; k++) {
    if ((k & 31) === 0) {
      throwIfAborted(opts.signal);
      report(k / m);
    }
    if (clen === 0) chain[clen++] = slot[0];
    let px = 0;
    let py = 0;
    let best = 0;
    for (;;) {
      const x = chain[clen - 1];
      px = posOf[x];
      const ox = px * d;
      const nx = sz[px];
      let prevPos = -1;
      if (clen > 1) {
        prevPos = posOf[chain[clen - 2]];
        const op = prevPos * d;
        let s = 0;
        for (let f = 0; f < d; f++) {
          const v = cent[ox + f] - cent[op + f];
          s += v * v;
        }
        const np = sz[prevPos];
        best = ((nx * np) / (nx + np)) * s;
        py = prevPos;
      } else {
        best = Infinity;
        py = -1;
      }
      for (let p = 0; p < na; p++) {
        if (p === px) continue;
        const np = sz[p];
        // cost = nx np / (nx + np) * s < best  <=>  s * nx np < best * (nx + np): no division per candidate,
        // and the sum stops early once over that bound (features are ordered by decreasing variance).
        const a = nx * np;
        const bound = best * (nx + np);
        const op = p * d;
        let s = 0;
        let f = 0;
        for (; f < d; f++) {
          const v = cent[ox + f] - cent[op + f];
          s += v * v;
          if ((f & 1) === 1 && s * a >= bound) break;
        }
        if (f < d) continue;
        const cost = (a / (nx + np)) * s;
        if (cost < best) {
          best = cost;
          py = p;
        }
      }
      if (py === prevPos) break;
      chain[clen++] = slot[py];
    }
    clen -= 2;
    let x = slot[px];
    let y = slot[py];
    if (x > y) {
      const s = x;
      x = y;
      y = s;
      const t = px;
      px = py;
      py = t;
    }
    ma[k] = x;
    mb[k] = y;
    md[k] = Math.sqrt(2 * best);
    // New centroid in y's position; x's position is filled by the last active cluster.
    const nx = sz[px];
    const ny = sz[py];
    const nxy = nx + ny;
    const ox = px * d;
    const oy = py * d;
    for (let f = 0; f < d; f++) cent[oy + f] = (nx * cent[ox + f] + ny * cent[oy + f]) / nxy;
    sz[py] = nxy;
    const last = na - 1;
    if (px !== last) {
      const ol = last * d;
      for (let f = 0; f < d; f++) cent[ox + f] = cent[ol + f];
      sz[px] = sz[last];
      slot[px] = slot[last];
      posOf[slot[px]] = px;
    }
    na = last;
  }
  report(1);
  return { a: ma, b: mb, d: md };
}

/** A copy of X with its columns in order of decreasing variance (the early exit of the Ward search then fires sooner). */
function packByVariance(X: Matrix): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const mean = new Float64Array(d);
  const vari = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f];
  for (let f = 0; f < d; f++) mean[f] /= n;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) {
      const v = data[i * d + f] - mean[f];
      vari[f] += v * v;
    }
  }
  const order = Array.from({ length: d }, (_, f) => f).sort((p, q) => vari[q] - vari[p] || p - q);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) out[i * d + f] = data[i * d + order[f]];
  return out;
}

/**
 * Single linkage: a minimum spanning tree of the pairwise distances. Euclidean with n >= 256: Borůvka on a
 * KD-tree (neighbors/mst.ts with all core distances 0, so the weights are the plain distances, computed by the
 * same kernel in feature order; about 2.5x faster than Prim on CC GENERAL); otherwise (manhattan, whose
 * unrotated tree was slower than Prim; cosine; small n) Prim with distances computed on the fly.
 * No pairwise matrix either way. Any minimum spanning tree has the same merge heights and the same
 * clusters at every height; only merges at exactly equal heights may come in another order than SciPy's.
 */
export function primSingle(X: Matrix, metric: Metric, opts: FitOptions, report: (f: number) => void): RawMerges {
  if (metric === 'euclidean' && X.n_samples >= 256) {
    const mst = mutualReachabilityMst(X, new Float64Array(X.n_samples), metric, {
      algorithm: 'boruvka',
      tree: buildKdTree(X, 32, true),
      signal: opts.signal,
      on_progress: (p) => report(Math.min(0.99, p.fraction)),
    });
    report(1);
    return { a: mst.a, b: mst.b, d: mst.w };
  }
  return primOnTheFly(X, metric, opts, report);
}

/** Prim's minimum spanning tree, distances computed on the fly (no pairwise matrix). Exported for tests. */
export function primOnTheFly(X: Matrix, metric: Metric, opts: FitOptions, report: (f: number) => void): RawMerges {
  const n = X.n_samples;
  const m = n - 1;
  const ma = new Int32Array(m);
  const mb = new Int32Array(m);
  const md = new Float64Array(m);
  // Points not yet in the tree, packed (their rows too, so that each step reads memory in order),
  // with their current distance to the tree and their nearest tree point.
  const { P, dp, sq } = pack(X, metric);
  const rest = new Int32Array(n);
  const minD = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n);
  const buf = new Float64Array(n);
  const cur = new Float64Array(dp);
  for (let i = 0; i < n; i++) rest[i] = i;
  let nr = n;
  let curId = 0;
  let curSq = sq ? sq[0] : 0;
  const remove = (t: number): void => {
    const last = --nr;
    if (t !== last) {
      rest[t] = rest[last];
      minD[t] = minD[last];
      from[t] = from[last];
      P.copyWithin(t * dp, last * dp, last * dp + dp);
      if (sq) sq[t] = sq[last];
    }
  };
  // Start from sample 0 (as scikit-learn's mst_linkage_core).
  cur.set(P.subarray(0, dp));
  remove(0);
  for (let k = 0; k < m; k++) {
    if ((k & 63) === 0) {
      throwIfAborted(opts.signal);
      report(k / m);
    }
    // The current row goes at the end of P (a free slot after the packed rest) for the kernel.
    const ro = nr * dp;
    P.set(cur, ro);
    distancesTo(metric, P, dp, ro, 0, nr, buf, 0, curSq, sq, 0);
    let bestT = -1;
    let best = Infinity;
    for (let t = 0; t < nr; t++) {
      const v = buf[t];
      if (v < minD[t]) {
        minD[t] = v;
        from[t] = curId;
      }
      if (minD[t] < best || bestT < 0) {
        best = minD[t];
        bestT = t;
      }
    }
    const nxt = rest[bestT];
    ma[k] = from[bestT];
    mb[k] = nxt;
    md[k] = best;
    cur.set(P.subarray(bestT * dp, bestT * dp + dp));
    curSq = sq ? sq[bestT] : 0;
    curId = nxt;
    remove(bestT);
  }
  report(1);
  return { a: ma, b: mb, d: md };
}

/**
 * Sorts merges by height (stable) and gives them scikit-learn / SciPy node ids: merge i joins
 * children[2i] < children[2i+1] (ids < n are samples, n + j is the cluster made at merge j).
 */
export function relabelMerges(raw: RawMerges, n: number): { children: Int32Array; distances: Float64Array } {
  const m = raw.d.length;
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  // Stable: ties keep the order in which they were found (TypedArray sort is not guaranteed stable).
  const dd = raw.d;
  const ord = Array.from(order).sort((p, q) => dd[p] - dd[q] || p - q);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    while (parent[v] !== r) {
      const nx = parent[v];
      parent[v] = r;
      v = nx;
    }
    return r;
  };
  const children = new Int32Array(2 * m);
  const distances = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = ord[i];
    const ra = find(raw.a[o]);
    const rb = find(raw.b[o]);
    children[2 * i] = ra < rb ? ra : rb;
    children[2 * i + 1] = ra < rb ? rb : ra;
    distances[i] = dd[o];
    parent[ra] = n + i;
    parent[rb] = n + i;
  }
  return { children, distances };
}
