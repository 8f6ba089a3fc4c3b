/**
 * Partition comparison, as scikit-learn's `contingency_matrix`, `adjusted_rand_score` and
 * `normalized_mutual_info_score` (arithmetic normalisation). Labels are any integers (-1 is just a label here).
 */
import { DataError } from '../errors.ts';

export interface Contingency {
  classes_a: Int32Array;
  classes_b: Int32Array;
  /** Row-major |classes_a| x |classes_b|. */
  counts: Int32Array;
}

/** Sorted distinct labels and, for each sample, the index of its label among them. */
export function encodeLabels(labels: Int32Array): { classes: Int32Array; codes: Int32Array } {
  const n = labels.length;
  const codes = new Int32Array(n);
  if (n === 0) return { classes: new Int32Array(0), codes };
  let lo = labels[0];
  let hi = labels[0];
  for (let i = 1; i < n; i++) {
    const v = labels[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  if (hi - lo < 4 * n + 1024) {
    // labels in a small range (every clustering's 0..k-1 and -1): a table over the range, no sort. Called for each
    // pair of panes on every slider move (matching, agreement, contingency), where sorting 8950 labels twice a pair
    // was 7 ms of the main thread per move with 2 panes.
    const lut = new Int32Array(hi - lo + 1).fill(-1);
    for (let i = 0; i < n; i++) lut[labels[i] - lo] = 0;
    let m = 0;
    for (let v = 0; v < lut.length; v++) if (lut[v] === 0) lut[v] = m++;
    const classes = new Int32Array(m);
    for (let v = 0; v < lut.length; v++) if (lut[v] >= 0) classes[lut[v]] = v + lo;
    for (let i = 0; i < n; i++) codes[i] = lut[labels[i] - lo];
    return { classes, codes };
  }
  const sorted = Int32Array.from(labels).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i];
  const classes = sorted.slice(0, m);
  const map = new Map<number, number>();
  for (let c = 0; c < m; c++) map.set(classes[c], c);
  for (let i = 0; i < n; i++) codes[i] = map.get(labels[i])!;
  return { classes, codes };
}

function checkSameLength(a: Int32Array, b: Int32Array): void {
  if (a.length !== b.length) throw new DataError('labels', `the two labelings have different lengths (${a.length} and ${b.length})`);
}

export function contingencyMatrix(a: Int32Array, b: Int32Array): Contingency {
  checkSameLength(a, b);
  const ea = encodeLabels(a);
  const eb = encodeLabels(b);
  const ka = ea.classes.length;
  const kb = eb.classes.length;
  const counts = new Int32Array(ka * kb);
  for (let i = 0; i < a.length; i++) counts[ea.codes[i] * kb + eb.codes[i]]++;
  return { classes_a: ea.classes, classes_b: eb.classes, counts };
}

/** Adjusted Rand index through the pair confusion matrix, as scikit-learn computes it. */
export function adjustedRandScore(a: Int32Array, b: Int32Array): number {
  return adjustedRandOf(contingencyMatrix(a, b), a.length);
}

/** adjustedRandScore from the two labelings' contingency table (n samples). */
export function adjustedRandOf({ classes_a, classes_b, counts }: Contingency, n: number): number {
  const ka = classes_a.length;
  const kb = classes_b.length;
  const nc = new Float64Array(ka);
  const nk = new Float64Array(kb);
  let sumSquares = 0;
  for (let r = 0; r < ka; r++) {
    for (let c = 0; c < kb; c++) {
      const v = counts[r * kb + c];
      nc[r] += v;
      nk[c] += v;
      sumSquares += v * v;
    }
  }
  let dotK = 0; // sum over cells of count * (column total)
  let dotC = 0; // sum over cells of count * (row total)
  for (let r = 0; r < ka; r++) {
    for (let c = 0; c < kb; c++) {
      const v = counts[r * kb + c];
      dotK += v * nk[c];
      dotC += v * nc[r];
    }
  }
  const tp = sumSquares - n;
  const fp = dotK - sumSquares;
  const fn = dotC - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1.0;
  return (2.0 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

function entropyOfCounts(counts: Float64Array): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return 1.0;
  const lt = Math.log(total);
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = counts[i];
    if (p > 0) h -= (p / total) * (Math.log(p) - lt);
  }
  return h;
}

/** Normalized mutual information with the arithmetic mean of the two entropies as normalizer. */
export function normalizedMutualInfoScore(a: Int32Array, b: Int32Array): number {
  return normalizedMutualInfoOf(contingencyMatrix(a, b));
}

/** normalizedMutualInfoScore from the two labelings' contingency table. */
export function normalizedMutualInfoOf({ classes_a, classes_b, counts }: Contingency): number {
  const ka = classes_a.length;
  const kb = classes_b.length;
  if ((ka === 1 && kb === 1) || (ka === 0 && kb === 0)) return 1.0;
  const pi = new Float64Array(ka);
  const pj = new Float64Array(kb);
  let total = 0;
  for (let r = 0; r < ka; r++) {
    for (let c = 0; c < kb; c++) {
      const v = counts[r * kb + c];
      pi[r] += v;
      pj[c] += v;
      total += v;
    }
  }
  let mi = 0;
  if (ka > 1 && kb > 1) {
    const logTotal = Math.log(total);
    const eps = 2.220446049250313e-16;
    for (let r = 0; r < ka; r++) {
      for (let c = 0; c < kb; c++) {
        const v = counts[r * kb + c];
        if (v === 0) continue;
        const pnm = v / total;
        const logOuter = -Math.log(pi[r] * pj[c]) + logTotal + logTotal;
        const t = pnm * (Math.log(v) - logTotal) + pnm * logOuter;
        if (Math.abs(t) >= eps) mi += t;
      }
    }
    if (mi < 0) mi = 0;
  }
  if (mi === 0) return 0.0;
  const normalizer = Math.max((entropyOfCounts(pi) + entropyOfCounts(pj)) / 2, 2.220446049250313e-16);
  return mi / normalizer;
}
