// The data worker's copies of a large prepared matrix for the other workers (src/jobs/matrix_relay.ts).
import { describe, expect, it } from 'vitest';
import { DataService } from '../../workers/services/data_service.ts';
import { RELAY_MIN_VALUES } from '../../src/jobs/protocol.ts';
import { fingerprint } from '../../workers/engine/data/fingerprint.ts';

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

  it('makes the configuration fingerprint of the kept matrix when asked, equal to the one of the main thread\'s copy', async () => {
    const d = 10;
    const n = Math.ceil(RELAY_MIN_VALUES / d);
    const svc = new DataService();
    const o = await svc.openText(csv(n, d), 'large.csv');
    if (!o.ok) throw new Error(o.error.message);
    const p = o.value.prepared;
    const fp = await svc.fingerprintOf(p.key);
    expect(fp).toBe(await fingerprint({ data: p.raw, n_samples: p.n_samples, n_features: p.n_features }));
    expect(svc.fingerprintOf(p.key)).toBe(svc.fingerprintOf(p.key));
    expect(svc.fingerprintOf('another key')).toBeNull();
    // a new preparation of other data forgets it
    const other = await svc.openText(csv(n, d).replace('\n1', '\n2'), 'other.csv');
    if (!other.ok) throw new Error(other.error.message);
    expect(other.value.prepared.key).not.toBe(p.key);
    expect(svc.fingerprintOf(p.key)).toBeNull();
  });

  it('gives equal data prepared twice the same key, and other data or another preprocessing another', async () => {
    const svc = new DataService();
    const a = await svc.openText(csv(300, 4), 'a.csv');
    const b = await svc.openText(csv(300, 4), 'b.csv');
    const c = await svc.openText(csv(301, 4), 'c.csv');
    if (!a.ok || !b.ok || !c.ok) throw new Error('not opened');
    expect(b.value.prepared.key).toBe(a.value.prepared.key);
    expect(c.value.prepared.key).not.toBe(a.value.prepared.key);
    const minmax = await svc.prepare({ ...c.value.prepared.spec, scaler: 'minmax' });
    if (!minmax.ok) throw new Error(minmax.error.message);
    expect(minmax.value.key).not.toBe(c.value.prepared.key);
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
