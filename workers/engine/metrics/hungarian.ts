/**
 * The assignment problem (Hungarian algorithm, O(n^3), shortest augmenting paths with potentials) and its use for
 * matching the clusters of one labelling to another's, so that the same group gets the same colour in every pane.
 */
import { contingencyMatrix } from './contingency.ts';

/**
 * Minimum-cost assignment on a rows x cols cost matrix (row-major). Returns for each row the column assigned to it,
 * or -1 when there are more rows than columns and the row is left out.
 */
export function linearSumAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  const transpose = rows > cols;
  const n = transpose ? cols : rows; // n <= m
  const m = transpose ? rows : cols;
  const at = (i: number, j: number) => (transpose ? cost[j * cols + i] : cost[i * cols + j]);
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row (1-based) matched to column j
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(INF);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const out = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    if (transpose) out[j - 1] = p[j] - 1;
    else out[p[j] - 1] = j - 1;
  }
  return out;
}

/**
 * For each cluster label of `labels` (0..max), the label of `reference` it overlaps most under a one-to-one matching
 * that maximises the total overlap; labels left unmatched get fresh numbers after the reference's largest label.
 * Noise (-1) stays -1. Use it to colour `labels` like `reference`.
 */
export function matchLabels(reference: Int32Array, labels: Int32Array): Int32Array {
  let maxL = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > maxL) maxL = labels[i];
  const out = new Int32Array(maxL + 1).fill(-1);
  if (maxL < 0) return out;
  const c = contingencyMatrix(labels, reference);
  const A = c.classes_a.length;
  const B = c.classes_b.length;
  const cost = new Float64Array(A * B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) cost[i * B + j] = c.classes_a[i] < 0 || c.classes_b[j] < 0 ? 0 : -c.counts[i * B + j];
  }
  const assign = linearSumAssignment(cost, A, B);
  let maxRef = -1;
  for (let j = 0; j < B; j++) if (c.classes_b[j] > maxRef) maxRef = c.classes_b[j];
  const taken = new Set<number>();
  for (let i = 0; i < A; i++) {
    const a = c.classes_a[i];
    if (a < 0) continue;
    const j = assign[i];
    if (j >= 0 && c.classes_b[j] >= 0 && c.counts[i * B + j] > 0) {
      out[a] = c.classes_b[j];
      taken.add(c.classes_b[j]);
    }
  }
  let next = maxRef + 1;
  for (let a = 0; a <= maxL; a++) {
    if (out[a] >= 0) continue;
    while (taken.has(next)) next++;
    out[a] = next++;
  }
  return out;
}
