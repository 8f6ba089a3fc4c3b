/**
 * The exploration statistics on the real CC GENERAL (8950 x 17, 313 missing MINIMUM_PAYMENTS, 1 missing CREDIT_LIMIT)
 * against numpy 1.24 / scipy 1.10 (Debian's python3): pairwise complete stats.pearsonr / stats.spearmanr,
 * leaves_list(linkage(squareform(1 - abs(R)), 'average')), np.percentile and stats.skew(bias=False), computed on the
 * CSV read with Python's csv module (empty cell = NaN).
 */
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, SHARED_SKIP_REASON, readSharedText } from '../helpers/shared.ts';
import { clusteredOrder, correlationMatrix, featureDistributions } from '../../workers/engine/data/explore.ts';

function ccRaw() {
  const lines = readSharedText('data', 'cc_general.csv').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const cols = header.filter((c) => c !== 'CUST_ID');
  const idx = cols.map((c) => header.indexOf(c));
  const n = lines.length - 1;
  const d = cols.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    for (let j = 0; j < d; j++) data[i * d + j] = f[idx[j]] === '' ? NaN : Number(f[idx[j]]);
  }
  return { cols, M: { data, n_samples: n, n_features: d } };
}

describe.skipIf(!HAVE_SHARED)(`exploring CC GENERAL ${HAVE_SHARED ? '' : SHARED_SKIP_REASON}`, () => {
  const { cols, M } = HAVE_SHARED ? ccRaw() : { cols: [] as string[], M: null as any };
  const at = (r: ArrayLike<number>, a: string, b: string) => r[cols.indexOf(a) * cols.length + cols.indexOf(b)];

  it('Pearson and Spearman on pairwise complete rows match scipy, and so does the clustered order', () => {
    const p = correlationMatrix(M, 'pearson');
    const s = correlationMatrix(M, 'spearman');
    const ref: [string, string, number, number][] = [
      ['BALANCE', 'MINIMUM_PAYMENTS', 0.3986841189159854, 0.8998156879912395],
      ['CREDIT_LIMIT', 'PAYMENTS', 0.42186085697587794, 0.4494387551609732],
      ['PURCHASES', 'ONEOFF_PURCHASES', 0.9168445587151468, 0.7511636636903481],
      ['CASH_ADVANCE', 'PRC_FULL_PAYMENT', -0.15293533678180846, -0.2657888537098438],
    ];
    for (const [a, b, pr, sr] of ref) {
      expect(at(p.r, a, b)).toBeCloseTo(pr, 10);
      expect(at(s.r, a, b)).toBeCloseTo(sr, 10);
    }
    expect(at(p.n_pairs, 'BALANCE', 'MINIMUM_PAYMENTS')).toBe(8950 - 313);
    expect(Array.from(clusteredOrder(p.r, 17))).toEqual([16, 14, 1, 6, 8, 4, 11, 7, 13, 2, 3, 15, 5, 9, 10, 0, 12]);
    expect(Array.from(clusteredOrder(s.r, 17))).toEqual([16, 15, 5, 9, 10, 1, 0, 14, 12, 13, 3, 7, 4, 8, 2, 6, 11]);
  });

  it('box statistics and skewness match numpy / scipy', () => {
    const f = featureDistributions(M, cols);
    const bal = f[cols.indexOf('BALANCE')].boxes[0];
    expect(bal.q1).toBeCloseTo(128.2819155, 8);
    expect(bal.median).toBeCloseTo(873.385231, 8);
    expect(bal.q3).toBeCloseTo(2054.1400355, 8);
    expect(bal.n_outliers).toBe(695);
    expect(bal.upperfence).toBe(4940.113918);
    const mp = f[cols.indexOf('MINIMUM_PAYMENTS')];
    expect(mp.n).toBe(8637);
    expect(mp.skewness!).toBeCloseTo(13.622796994677454, 8);
    expect(mp.skewness_log1p!).toBeCloseTo(0.24993338691371603, 8);
  });
});
