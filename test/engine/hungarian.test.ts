import { describe, expect, it } from 'vitest';
import { linearSumAssignment, matchLabels } from '../../workers/engine/metrics/hungarian.ts';
import { RandomState } from '../../workers/engine/util/random.ts';

/** Exhaustive minimum over all assignments of min(rows, cols) pairs (small sizes only). */
function bruteForce(cost: number[][]): number {
  const n = cost.length;
  const m = cost[0].length;
  const k = Math.min(n, m);
  let best = Infinity;
  const used = new Array(m).fill(false);
  const rec = (i: number, assigned: number, acc: number) => {
    if (assigned === k) return void (best = Math.min(best, acc));
    if (i === n) return;
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, assigned + 1, acc + cost[i][j]);
      used[j] = false;
    }
    if (n - i - 1 >= k - assigned) rec(i + 1, assigned, acc); // leave row i out while enough rows remain
  };
  rec(0, 0, 0);
  return best;
}

describe('linearSumAssignment', () => {
  it('finds the optimum of a textbook case', () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const a = linearSumAssignment(Float64Array.from(cost.flat()), 3, 3);
    expect(Array.from(a)).toEqual([1, 0, 2]);
  });

  it('equals brute force on random square and rectangular matrices', () => {
    const rng = new RandomState(3);
    for (const [r, c] of [
      [4, 4],
      [5, 5],
      [3, 5],
      [5, 3],
      [6, 2],
    ]) {
      for (let t = 0; t < 10; t++) {
        const cost = Array.from({ length: r }, () => Array.from({ length: c }, () => Math.round(rng.random() * 20)));
        const a = linearSumAssignment(Float64Array.from(cost.flat()), r, c);
        const used = new Set<number>();
        let total = 0;
        let assigned = 0;
        a.forEach((j, i) => {
          if (j < 0) return;
          expect(used.has(j)).toBe(false);
          used.add(j);
          total += cost[i][j];
          assigned++;
        });
        expect(assigned).toBe(Math.min(r, c));
        expect(total).toBe(bruteForce(cost));
      }
    }
  });
});

describe('matchLabels', () => {
  it('maps renamed clusters back to the reference numbering', () => {
    const ref = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const other = Int32Array.from([2, 2, 2, 0, 0, 1, 1, 1, 1]);
    // other 2 -> ref 0; other 0 -> ref 1; other 1 overlaps ref 2 (3) more than ref 1 (1)
    expect(Array.from(matchLabels(ref, other))).toEqual([1, 2, 0]);
  });

  it('gives extra clusters fresh numbers and leaves noise alone', () => {
    const ref = Int32Array.from([0, 0, 1, 1, -1]);
    const other = Int32Array.from([3, 0, 1, 2, -1]);
    const m = matchLabels(ref, other);
    expect(m.length).toBe(4);
    const values = Array.from(m);
    expect(new Set(values).size).toBe(4); // one-to-one
    expect(values.filter((v) => v <= 1).length).toBe(2); // two matched to the reference's 0 and 1
    expect(values.filter((v) => v >= 2).length).toBe(2); // two fresh
  });
});
