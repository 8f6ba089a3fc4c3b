/**
 * Cholesky factorisation of a symmetric positive-definite matrix and inversion of a lower-triangular one,
 * on row-major d x d Float64Arrays (no allocation beyond the outputs).
 */

/**
 * Lower-triangular L with A = L L^T, written into `out` (upper part zeroed). Returns false when A is not
 * (numerically) positive definite. Reads only the lower triangle of A.
 */
export function choleskyLower(A: Float64Array, d: number, out: Float64Array = new Float64Array(d * d)): boolean {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let p = 0; p < j; p++) s -= out[i * d + p] * out[j * d + p];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[i * d + i] = Math.sqrt(s);
      } else {
        out[i * d + j] = s / out[j * d + j];
      }
    }
    for (let j = i + 1; j < d; j++) out[i * d + j] = 0;
  }
  return true;
}

/** Inverse of a lower-triangular L (forward substitution on the identity); the result is lower-triangular. */
export function invertLower(L: Float64Array, d: number, out: Float64Array = new Float64Array(d * d)): Float64Array {
  out.fill(0);
  for (let c = 0; c < d; c++) {
    // solve L x = e_c; x_r = 0 for r < c
    out[c * d + c] = 1 / L[c * d + c];
    for (let r = c + 1; r < d; r++) {
      let s = 0;
      for (let p = c; p < r; p++) s -= L[r * d + p] * out[p * d + c];
      out[r * d + c] = s / L[r * d + r];
    }
  }
  return out;
}
