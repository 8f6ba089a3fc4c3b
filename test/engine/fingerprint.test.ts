import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { fingerprint, fingerprintBytes } from '../../workers/engine/data/fingerprint.ts';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { rawMatrix } from '../../workers/engine/data/preprocess.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, oracle, readSharedText } from '../helpers/shared.ts';

const m = (values: number[], n: number, d: number): Matrix => ({ data: Float64Array.from(values), n_samples: n, n_features: d });

/** The documented byte layout, built independently with Node's Buffer. */
function referenceBytes(X: Matrix): Buffer {
  const head = Buffer.alloc(13);
  head.write('CTFP1', 0, 'ascii');
  head.writeUInt32LE(X.n_samples, 5);
  head.writeUInt32LE(X.n_features, 9);
  const body = Buffer.alloc(8 * X.data.length);
  X.data.forEach((v, k) => {
    if (Number.isNaN(v)) body.writeBigUInt64LE(0x7ff8000000000000n, 8 * k);
    else body.writeDoubleLE(v + 0, 8 * k);
  });
  return Buffer.concat([head, body]);
}

/** The documented fingerprint, hashed with node:crypto. */
function reference(X: Matrix): string {
  return 'sha256:' + createHash('sha256').update(referenceBytes(X)).digest('hex');
}

describe('fingerprint', () => {
  it('has the documented format and bytes', async () => {
    const X = m([1, 2.5, NaN, -3, 0, 1e300], 3, 2);
    const f = await fingerprint(X);
    expect(f).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(f).toBe(reference(X));
    expect(fingerprintBytes(X).length).toBe(13 + 6 * 8);
  });

  it('fingerprintBytes gives exactly the documented bytes (head, then the values with NaN and -0 canonical)', () => {
    const data = Float64Array.from([1, -0, NaN, -3.25, 0, 1e300, -Infinity, 5e-324]);
    new DataView(data.buffer).setUint32(2 * 8 + 4, 0xfff80001, true); // a NaN with the sign bit and a payload
    const X: Matrix = { data, n_samples: 4, n_features: 2 };
    expect(Buffer.from(fingerprintBytes(X)).equals(referenceBytes(X))).toBe(true);
    expect(Buffer.from(fingerprintBytes(m([], 0, 3))).equals(referenceBytes(m([], 0, 3)))).toBe(true);
  });

  it('same data gives the same hash; one changed value gives another', async () => {
    const a = m([1, 2, 3, 4, 5, 6], 3, 2);
    const b = m([1, 2, 3, 4, 5, 6], 3, 2);
    expect(await fingerprint(a)).toBe(await fingerprint(b));
    const c = m([1, 2, 3, 4, 5, 6.000000001], 3, 2);
    expect(await fingerprint(c)).not.toBe(await fingerprint(a));
    const missing = m([1, 2, 3, NaN, 5, 6], 3, 2);
    expect(await fingerprint(missing)).not.toBe(await fingerprint(a));
  });

  it('depends on the shape, not only on the values', async () => {
    expect(await fingerprint(m([1, 2, 3, 4, 5, 6], 3, 2))).not.toBe(await fingerprint(m([1, 2, 3, 4, 5, 6], 2, 3)));
  });

  it('canonicalises NaN payloads and negative zero', async () => {
    const data = new Float64Array(2);
    const view = new DataView(data.buffer);
    view.setUint32(0, 0x00000001, true); // low word
    view.setUint32(4, 0xfff00001, true); // high word: a negative NaN with another payload
    view.setFloat64(8, -0, true);
    const odd: Matrix = { data, n_samples: 1, n_features: 2 };
    expect(Number.isNaN(data[0])).toBe(true);
    expect(Object.is(data[1], -0)).toBe(true);
    const plain = Float64Array.from([NaN, 0]);
    expect(await fingerprint(odd)).toBe(await fingerprint({ data: plain, n_samples: 1, n_features: 2 }));
    expect(await fingerprint(odd)).toBe(reference(odd));
  });

  it('is the same for the same CSV parsed twice, with LF or CRLF', async () => {
    const lf = parseCsv('a,b\n1,2\n3,\n', 'x.csv');
    const crlf = parseCsv('a,b\r\n1,2\r\n3,\r\n', 'x.csv');
    expect(await fingerprint(rawMatrix(lf, ['a', 'b']))).toBe(await fingerprint(rawMatrix(crlf, ['a', 'b'])));
    expect(await fingerprint(rawMatrix(lf, ['a', 'b']))).not.toBe(await fingerprint(rawMatrix(lf, ['b', 'a'])));
  });
});

describe.skipIf(!HAVE_SHARED)('fingerprint of cc_general.csv', () => {
  it('is stable and sensitive to a single cell', async () => {
    const text = readSharedText('data', 'cc_general.csv');
    const cols = oracle('cc_general').preprocessing.columns;
    const X = rawMatrix(parseCsv(text, 'cc_general.csv'), cols);
    const f1 = await fingerprint(X);
    expect(f1).toBe(reference(X));
    expect(await fingerprint(rawMatrix(parseCsv(text.replace(/\n/g, '\r\n'), 'cc.csv'), cols))).toBe(f1);
    const Y = { ...X, data: X.data.slice() };
    Y.data[12345] += 1e-6;
    expect(await fingerprint(Y)).not.toBe(f1);
  });
});
