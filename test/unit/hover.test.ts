/** The scatter's hover texts: built lazily (a row is formatted when Plotly reads it), shared per prepared data. */
import { describe, expect, it } from 'vitest';
import { hoverText, hoverTexts } from '../../src/lib/hover.ts';
import type { PreparedInfo } from '../../src/jobs/protocol.ts';

function prepared(n: number, d: number): PreparedInfo {
  const raw = new Float64Array(n * d);
  for (let i = 0; i < raw.length; i++) raw[i] = i === 0 ? NaN : (i * 37) / 8;
  return {
    n_samples: n,
    n_features: d,
    raw,
    row_index: Int32Array.from({ length: n }, (_, i) => 2 * i),
    fitted: { columns: Array.from({ length: d }, (_, j) => (j === 1 ? 'a<b' : `c${j}`)) },
  } as unknown as PreparedInfo;
}

describe('hoverTexts', () => {
  it('reads like an array of one text per row, formatted on first read', () => {
    const p = prepared(50, 14);
    const t = hoverTexts(p);
    expect(Array.isArray(t)).toBe(true); // Plotly checks Array.isArray before it reads text[i]
    expect(t.length).toBe(50);
    expect(t[3].startsWith('row 7<br>c0: 194.25<br>a&lt;b: 198.875<br>c2: 203.5<br>')).toBe(true);
    expect(t[3].split('<br>').length).toBe(1 + 12 + 1); // row, 12 columns, '… 2 more'
    expect(t[0]).toContain('c0: missing'); // NaN (missing cell)
    expect(t[0].endsWith('<br>… 2 more')).toBe(true);
    expect([...t].length).toBe(50);
    expect(t.slice(10, 12)).toEqual([hoverText(p, p.fitted.columns.map((c) => c.replace('<', '&lt;')), 10), t[11]]);
    expect(t[50]).toBeUndefined();
    expect(hoverTexts(p)).toBe(t); // one per prepared data
    expect(hoverTexts(prepared(50, 14))).not.toBe(t);
  });

  it('costs nothing up front on 100,000 rows', () => {
    const p = prepared(100_000, 17);
    const t0 = performance.now();
    const t = hoverTexts(p);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(t[99_999]).toMatch(/^row 199999<br>c0: /);
  });
});
