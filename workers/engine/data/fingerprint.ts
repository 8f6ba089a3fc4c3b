/**
 * Fingerprint of the raw matrix the preprocessing starts from (PreparedData.raw: one column per matrix column, i.e. the
 * chosen numeric and derived columns in original units and each one-hot column as its 0/1 columns; one row per loaded
 * row, or per kept row with impute 'drop'; before imputation, NaN = missing), stored in a configuration file so that
 * importing it onto other data is noticed. Derived columns are recomputed from the loaded data, never read from a file.
 *
 * Bytes hashed (SHA-256): the ASCII magic "CTFP1", then n_samples and n_features as uint32 little-endian, then every
 * value as float64 little-endian in row-major order, with every NaN written as the canonical quiet NaN
 * 0x7ff8000000000000 and -0 written as +0. In Python:
 *   hashlib.sha256(b'CTFP1' + struct.pack('<II', n, d) + np.where(np.isnan(X), np.nan, X + 0.0).astype('<f8').tobytes())
 * (NumPy's np.nan is the canonical quiet NaN.)
 */
import type { Matrix } from '../types.ts';

const MAGIC = [0x43, 0x54, 0x46, 0x50, 0x31]; // "CTFP1"
const HEAD = MAGIC.length + 8; // magic, n_samples, n_features
/**
 * Where the values start in fingerprintBytes' buffer: 8-aligned, so that they are written once, through a Float64Array,
 * right after the head (bytes 3 to 15).
 */
const VALUES_AT = 16;

/** The bytes that fingerprint() hashes (a view from byte VALUES_AT - HEAD of its buffer). */
export function fingerprintBytes(raw: Matrix): Uint8Array {
  const len = raw.n_samples * raw.n_features;
  const buffer = new ArrayBuffer(VALUES_AT + 8 * len);
  const bytes = new Uint8Array(buffer, VALUES_AT - HEAD);
  bytes.set(MAGIC, 0);
  const view = new DataView(buffer, VALUES_AT - HEAD);
  view.setUint32(MAGIC.length, raw.n_samples, true);
  view.setUint32(MAGIC.length + 4, raw.n_features, true);
  const data = raw.data;
  if (LITTLE_ENDIAN) {
    // the values copied at once, then NaN and -0 made canonical in place (13 MB at 100,000 x 17: a few ms, instead of
    // ~300 ms of DataView calls)
    const values = new Float64Array(buffer, VALUES_AT, len);
    values.set(data);
    const words = new Uint32Array(buffer, VALUES_AT, 2 * len);
    for (let k = 0; k < len; k++) {
      const v = values[k];
      if (v !== v) {
        words[2 * k] = 0;
        words[2 * k + 1] = 0x7ff80000;
      } else if (v === 0) values[k] = 0;
    }
    return bytes;
  }
  for (let k = 0, o = HEAD; k < len; k++, o += 8) {
    const v = data[k];
    if (v !== v) {
      view.setUint32(o, 0, true);
      view.setUint32(o + 4, 0x7ff80000, true);
    } else view.setFloat64(o, v === 0 ? 0 : v, true);
  }
  return bytes;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** 'sha256:<64 hex digits>' of the raw matrix (see the module comment for the exact bytes). */
export async function fingerprint(raw: Matrix): Promise<string> {
  const bytes = fingerprintBytes(raw);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  const h = new Uint8Array(digest);
  let hex = '';
  for (let i = 0; i < h.length; i++) hex += h[i].toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}
