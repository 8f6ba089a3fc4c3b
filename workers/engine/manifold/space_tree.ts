/**
 * Barnes-Hut space-partitioning tree for t-SNE: a quadtree (2-D) or octree (3-D) over the embedding, and the
 * t-SNE gradient computed with it, as scikit-learn's `_barnes_hut_tsne.gradient`:
 *
 *   grad_i = c * ( sum_j p_ij w_ij (y_i - y_j)  -  sum_j w_ij^2 (y_i - y_j) / Z ),   Z = sum_{k != l} w_kl,
 *
 * with w = (dof / (dof + |y_i - y_j|^2))^((dof + 1) / 2), c = 2 (dof + 1) / dof. The repulsive sum is
 * approximated by summarising a cell of the tree by its centre of mass when
 * (cell's max width)^2 / dist^2 < angle^2 (a leaf is always used as it is).
 *
 * The tree reproduces scikit-learn's `_QuadTree` (which inserts the points one by one, in index order):
 * root box [min, max(M (1 + 1e-3 sign M), M + 1e-3)] per axis; cells split at the middle of their bounds;
 * points within 1e-6 (per coordinate) of the first point that entered a leaf are duplicates that stay in
 * that leaf, whose position remains the first point's; a leaf within 1e-6 of the query point is skipped
 * (no self interaction). It is built top-down by partitioning (the first point of a cell is the one with
 * the lowest index), which gives the same cells as the insertion order.
 */
import type { CSR } from './affinities.ts';

const MAX_DEPTH = 64;
/** scikit-learn's duplicate tolerance (absolute, per coordinate). */
const EPSILON = 1e-6;
const FLOAT32_TINY = 1.1754943508222875e-38;

export class SpaceTree {
  readonly dim: 2 | 3;
  /** Number of nodes in use; node 0 is the root. */
  nNodes = 0;
  /** Centres of mass, nNodes x dim. */
  com: Float64Array;
  /** Number of points in each node (0 for an empty child). */
  size: Float64Array;
  /** Squared largest side of each cell. */
  w2: Float64Array;
  /** Index of the first of the 2^dim children, or -1 for a leaf. */
  child: Int32Array;

  /** The points in tree (depth-first) order after build; visiting them in this order is cache friendly. */
  perm = new Int32Array(0);
  private tmp = new Int32Array(0);
  private codes = new Uint8Array(0);
  private bounds = new Float64Array(0);

  constructor(dim: 2 | 3) {
    this.dim = dim;
    this.com = new Float64Array(0);
    this.size = new Float64Array(0);
    this.w2 = new Float64Array(0);
    this.child = new Int32Array(0);
  }

  private ensure(cap: number): void {
    if (cap <= this.child.length) return;
    const c = Math.max(cap, Math.ceil(this.child.length * 1.5), 64);
    const grow64 = (a: Float64Array, m: number) => {
      const b = new Float64Array(c * m);
      b.set(a.subarray(0, this.nNodes * m));
      return b;
    };
    this.com = grow64(this.com, this.dim);
    this.size = grow64(this.size, 1);
    this.w2 = grow64(this.w2, 1);
    const ch = new Int32Array(c);
    ch.set(this.child.subarray(0, this.nNodes));
    this.child = ch;
  }

  /** (Re)builds the tree over the n points of Y (n x dim row-major). */
  build(Y: Float64Array, n: number): void {
    const dim = this.dim;
    if (this.perm.length !== n) {
      this.perm = new Int32Array(n);
      this.tmp = new Int32Array(n);
      this.codes = new Uint8Array(n);
    }
    if (this.bounds.length === 0) this.bounds = new Float64Array((MAX_DEPTH + 2) * 2 * dim);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.ensure(Math.max(64, 2 * n));
    this.nNodes = 1;
    const b = this.bounds;
    for (let a = 0; a < dim; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = Y[i * dim + a];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (n === 0) {
        lo = 0;
        hi = 0;
      }
      // as scikit-learn: every point strictly below the upper bound
      b[a] = lo;
      b[dim + a] = Math.max(hi * (1 + 1e-3 * Math.sign(hi)), hi + 1e-3);
    }
    this.buildNode(Y, 0, 0, n, 0);
  }

  private buildNode(Y: Float64Array, node: number, s: number, e: number, depth: number): void {
    const dim = this.dim;
    const perm = this.perm;
    const bo = depth * 2 * dim; // this node's bounds: lo at bo, hi at bo + dim
    const b = this.bounds;
    const count = e - s;
    this.size[node] = count;
    let w2 = 0;
    for (let a = 0; a < dim; a++) {
      const w = b[bo + dim + a] - b[bo + a];
      if (w * w > w2) w2 = w * w;
    }
    this.w2[node] = w2;
    const co = node * dim;
    if (count === 0) {
      for (let a = 0; a < dim; a++) this.com[co + a] = 0;
      this.child[node] = -1;
      return;
    }
    // the first point (lowest index), and whether all others are its duplicates
    let firstIdx = perm[s];
    for (let p = s + 1; p < e; p++) if (perm[p] < firstIdx) firstIdx = perm[p];
    const f = firstIdx * dim;
    let same = true;
    for (let a = 0; a < dim && same; a++) {
      const first = Y[f + a];
      for (let p = s; p < e; p++) {
        if (Math.abs(Y[perm[p] * dim + a] - first) > EPSILON) {
          same = false;
          break;
        }
      }
    }
    if (count === 1 || same || depth >= MAX_DEPTH) {
      // a leaf sits at its first point
      for (let a = 0; a < dim; a++) this.com[co + a] = Y[f + a];
      this.child[node] = -1;
      return;
    }
    for (let a = 0; a < dim; a++) {
      let sum = 0;
      for (let p = s; p < e; p++) sum += Y[perm[p] * dim + a];
      this.com[co + a] = sum / count;
    }
    // split at the middle of the bounds into 2^dim children (bit a set when coordinate a >= middle)
    const nc = dim === 2 ? 4 : 8;
    const codes = this.codes;
    const mid0 = 0.5 * (b[bo] + b[bo + dim]);
    const mid1 = 0.5 * (b[bo + 1] + b[bo + dim + 1]);
    const mid2 = dim === 3 ? 0.5 * (b[bo + 2] + b[bo + dim + 2]) : 0;
    const cnt = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let p = s; p < e; p++) {
      const o = perm[p] * dim;
      let c = (Y[o] >= mid0 ? 1 : 0) | (Y[o + 1] >= mid1 ? 2 : 0);
      if (dim === 3 && Y[o + 2] >= mid2) c |= 4;
      codes[p] = c;
      cnt[c]++;
    }
    const startOf = [0, 0, 0, 0, 0, 0, 0, 0];
    let acc = s;
    for (let c = 0; c < nc; c++) {
      startOf[c] = acc;
      acc += cnt[c];
    }
    const fillAt = startOf.slice();
    const tmp = this.tmp;
    for (let p = s; p < e; p++) tmp[fillAt[codes[p]]++] = perm[p];
    for (let p = s; p < e; p++) perm[p] = tmp[p];

    this.ensure(this.nNodes + nc);
    const first = this.nNodes;
    this.nNodes += nc;
    this.child[node] = first;
    const cb = (depth + 1) * 2 * dim;
    for (let c = 0; c < nc; c++) {
      for (let a = 0; a < dim; a++) {
        const lo = b[bo + a];
        const hi = b[bo + dim + a];
        const mid = 0.5 * (lo + hi);
        if (c & (1 << a)) {
          b[cb + a] = mid;
          b[cb + dim + a] = hi;
        } else {
          b[cb + a] = lo;
          b[cb + dim + a] = mid;
        }
      }
      this.buildNode(Y, first + c, startOf[c], startOf[c] + cnt[c], depth + 1);
    }
  }
}

/** Scratch space for {@link bhGradient}, reused across iterations. */
export interface GradientWork {
  tree: SpaceTree;
  neg: Float64Array;
  stack: Int32Array;
}

export function gradientWork(n: number, dim: 2 | 3): GradientWork {
  return { tree: new SpaceTree(dim), neg: new Float64Array(n * dim), stack: new Int32Array(MAX_DEPTH * 8 + 16) };
}

/**
 * Barnes-Hut gradient of the KL divergence at Y (n x dim), written into `grad`. P is multiplied by
 * `exaggeration`. Returns the KL divergence (as scikit-learn computes it, with the exaggerated P) when
 * `computeError`, else 0.
 */
export function bhGradient(
  P: CSR,
  Y: Float64Array,
  dim: 2 | 3,
  angle: number,
  dof: number,
  grad: Float64Array,
  work: GradientWork,
  computeError: boolean,
  exaggeration = 1,
): number {
  const n = P.n;
  const tree = work.tree;
  tree.build(Y, n);
  const sumQ = dim === 2 ? negative2(Y, n, angle * angle, dof, work) : negative3(Y, n, angle * angle, dof, work);
  return positive(P, Y, dim, dof, sumQ, grad, work.neg, computeError, exaggeration);
}

function kernel(d2: number, dof: number): number {
  if (dof === 1) return 1 / (1 + d2);
  const t = dof / (dof + d2);
  return dof === 2 ? t * Math.sqrt(t) : Math.pow(t, (dof + 1) / 2);
}

function negative2(Y: Float64Array, n: number, theta2: number, dof: number, work: GradientWork): number {
  const { tree, neg, stack } = work;
  const { com, size, w2, child } = tree;
  let sumQ = 0;
  const order = tree.perm;
  for (let p = 0; p < n; p++) {
    const i = order[p];
    const xi = Y[2 * i];
    const yi = Y[2 * i + 1];
    let fx = 0;
    let fy = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const dx = xi - com[2 * node];
      const dy = yi - com[2 * node + 1];
      const d2 = dx * dx + dy * dy;
      const c = child[node];
      if (c < 0) {
        // the point's own leaf, or a leaf of its duplicates: no self interaction
        if (dx <= EPSILON && dx >= -EPSILON && dy <= EPSILON && dy >= -EPSILON) continue;
      } else if (w2[node] >= theta2 * d2) {
        if (size[c] > 0) stack[sp++] = c;
        if (size[c + 1] > 0) stack[sp++] = c + 1;
        if (size[c + 2] > 0) stack[sp++] = c + 2;
        if (size[c + 3] > 0) stack[sp++] = c + 3;
        continue;
      }
      const q = dof === 1 ? 1 / (1 + d2) : kernel(d2, dof);
      const sq = size[node] * q;
      sumQ += sq;
      const m = sq * q;
      fx += m * dx;
      fy += m * dy;
    }
    neg[2 * i] = fx;
    neg[2 * i + 1] = fy;
  }
  return sumQ;
}

function negative3(Y: Float64Array, n: number, theta2: number, dof: number, work: GradientWork): number {
  const { tree, neg, stack } = work;
  const { com, size, w2, child } = tree;
  let sumQ = 0;
  const order = tree.perm;
  for (let p = 0; p < n; p++) {
    const i = order[p];
    const xi = Y[3 * i];
    const yi = Y[3 * i + 1];
    const zi = Y[3 * i + 2];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const dx = xi - com[3 * node];
      const dy = yi - com[3 * node + 1];
      const dz = zi - com[3 * node + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      const c = child[node];
      if (c < 0) {
        if (dx <= EPSILON && dx >= -EPSILON && dy <= EPSILON && dy >= -EPSILON && dz <= EPSILON && dz >= -EPSILON) continue;
      } else if (w2[node] >= theta2 * d2) {
        for (let k = c; k < c + 8; k++) if (size[k] > 0) stack[sp++] = k;
        continue;
      }
      const q = kernel(d2, dof);
      const sq = size[node] * q;
      sumQ += sq;
      const m = sq * q;
      fx += m * dx;
      fy += m * dy;
      fz += m * dz;
    }
    neg[3 * i] = fx;
    neg[3 * i + 1] = fy;
    neg[3 * i + 2] = fz;
  }
  return sumQ;
}

function positive(
  P: CSR,
  Y: Float64Array,
  dim: 2 | 3,
  dof: number,
  sumQ: number,
  grad: Float64Array,
  neg: Float64Array,
  computeError: boolean,
  exaggeration: number,
): number {
  const n = P.n;
  const { indptr, indices, data } = P;
  const c = (2 * (dof + 1)) / dof;
  const invQ = 1 / sumQ;
  let C = 0;
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let m = indptr[i], e = indptr[i + 1]; m < e; m++) {
        const j = indices[m];
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        const d2 = dx * dx + dy * dy;
        const q = dof === 1 ? 1 / (1 + d2) : kernel(d2, dof);
        const p = data[m] * exaggeration;
        const mult = p * q;
        fx += mult * dx;
        fy += mult * dy;
        if (computeError) C += p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(q * invQ, FLOAT32_TINY));
      }
      grad[2 * i] = c * (fx - neg[2 * i] * invQ);
      grad[2 * i + 1] = c * (fy - neg[2 * i + 1] * invQ);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = Y[3 * i];
      const yi = Y[3 * i + 1];
      const zi = Y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      for (let m = indptr[i], e = indptr[i + 1]; m < e; m++) {
        const j = indices[m];
        const dx = xi - Y[3 * j];
        const dy = yi - Y[3 * j + 1];
        const dz = zi - Y[3 * j + 2];
        const q = kernel(dx * dx + dy * dy + dz * dz, dof);
        const p = data[m] * exaggeration;
        const mult = p * q;
        fx += mult * dx;
        fy += mult * dy;
        fz += mult * dz;
        if (computeError) C += p * Math.log(Math.max(p, FLOAT32_TINY) / Math.max(q * invQ, FLOAT32_TINY));
      }
      grad[3 * i] = c * (fx - neg[3 * i] * invQ);
      grad[3 * i + 1] = c * (fy - neg[3 * i + 1] * invQ);
      grad[3 * i + 2] = c * (fz - neg[3 * i + 2] * invQ);
    }
  }
  return C;
}
