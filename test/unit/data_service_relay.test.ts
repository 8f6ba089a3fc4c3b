// The data worker's copies of a large prepared matrix for the other workers (src/jobs/matrix_relay.ts).
import { describe, expect, it } from 'vitest';
import { DataService } from '../../workers/services/data_service.ts';
import { RELAY_MIN_VALUES } from '../../src/jobs/protocol.ts';

function csv(n: number, d: number): string {
  const lines = [Array.from({ length: d }, (_, j) => `f${j}`).join(',')];
  for (let i = 0; i < n; i++) lines.push(Array.from({ length: d }, (_, j) => ((i * 7919 + j * 104729) % 1000) / 10).join(','));
  return lines.join('\n');
}

describe('DataService.matrixCopies', () => {
  it('answers fresh copies of a large prepared matrix, equal to what the main thread received', async () => {
    const d = 10;
    const n = Math.ceil(RELAY_MIN_VALUES / d) + 5;
    const svc = new DataService();
    const o = await svc.openText(csv(n, d), 'large.csv');
    if (!o.ok) throw new Error(o.error.message);
    const p = o.value.prepared;
    expect(p.X.length).toBeGreaterThanOrEqual(RELAY_MIN_VALUES);
    const a = svc.matrixCopies(p.key, ['X', 'raw'])!;
    const b = svc.matrixCopies(p.key, ['X'])!;
    expect(a.X).toEqual(p.X);
    expect(a.raw).toEqual(p.raw);
    expect(Object.keys(b)).toEqual(['X']);
    // each answer is its own copy (it is transferred away)
    expect(b.X!.buffer).not.toBe(a.X!.buffer);
    a.X![0] = 12345;
    expect(svc.matrixCopies(p.key, ['X'])!.X![0]).toBe(p.X[0]);
    expect(svc.matrixCopies('another key', ['X'])).toBeNull();
  });

  it('keeps nothing for small data and forgets the old matrix when the data changes', async () => {
    const svc = new DataService();
    const big = await svc.openText(csv(Math.ceil(RELAY_MIN_VALUES / 10), 10), 'large.csv');
    if (!big.ok) throw new Error(big.error.message);
    const small = await svc.openText(csv(200, 4), 'small.csv');
    if (!small.ok) throw new Error(small.error.message);
    expect(svc.matrixCopies(small.value.prepared.key, ['X'])).toBeNull();
    expect(svc.matrixCopies(big.value.prepared.key, ['X'])).toBeNull();
  });
});
