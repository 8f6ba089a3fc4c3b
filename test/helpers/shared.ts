/**
 * Access to ../shared (real data sets and scikit-learn's oracle). Tests that need it use
 * `describe.skipIf(!HAVE_SHARED)` and say why through SHARED_SKIP_REASON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const HAVE_SHARED = existsSync(resolve(SHARED, 'oracle', 'cc_general.json')) && existsSync(resolve(SHARED, 'data', 'cc_general.csv'));
export const SHARED_SKIP_REASON = `skipped: ../shared (real data and scikit-learn oracle) not found at ${SHARED}`;
if (!HAVE_SHARED) console.warn(SHARED_SKIP_REASON);

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED, ...parts);
}

export function readSharedText(...parts: string[]): string {
  return readFileSync(sharedPath(...parts), 'utf8');
}

const cache = new Map<string, unknown>();
/** Parsed oracle JSON (cached per file). */
export function oracle<T = any>(name: 'cc_general' | 'toy_shapes'): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(readSharedText('oracle', `${name}.json`)));
  return cache.get(name) as T;
}

/**
 * The oracle's standardized CC GENERAL matrix X (8950 x 17), built directly from the CSV and the oracle's
 * recorded medians/means/scales, so engine tests do not depend on our own preprocessing code.
 */
export function ccStandardized(): { data: Float64Array; n_samples: number; n_features: number } {
  const key = 'ccX';
  if (cache.has(key)) return cache.get(key) as any;
  const o = oracle('cc_general').preprocessing;
  const lines = readSharedText('data', 'cc_general.csv').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const cols: number[] = o.columns.map((c: string) => header.indexOf(c));
  const n = lines.length - 1;
  const d = cols.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    for (let j = 0; j < d; j++) {
      const s = f[cols[j]];
      const v = s === '' ? o.medians[j] : Number(s);
      data[i * d + j] = (v - o.means[j]) / o.scales[j];
    }
  }
  const X = { data, n_samples: n, n_features: d };
  cache.set(key, X);
  return X;
}

/** Relative closeness: |a - b| <= tol * max(|b|, tiny). */
export function relClose(a: number, b: number, tol = 1e-6): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300);
}
