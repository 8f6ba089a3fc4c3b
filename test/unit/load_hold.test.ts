import { describe, expect, it } from 'vitest';
import { backgroundHoldIn, holdBackground, loadHoldIn, onHoldBackground } from '../../src/state/latency.ts';

describe('holdBackground (background work waits while new data loads)', () => {
  it('holds until released, however long the load takes, and tells the listeners when it starts', async () => {
    let told = 0;
    const off = onHoldBackground(() => told++);
    expect(loadHoldIn()).toBe(0);
    const release = holdBackground();
    expect(told).toBe(1);
    // a lease renewed by a timer lapsed when the main thread was busy: this hold has no expiry
    await new Promise((r) => setTimeout(r, 250));
    expect(loadHoldIn()).toBeGreaterThan(0);
    expect(backgroundHoldIn()).toBeGreaterThan(0);
    release();
    expect(loadHoldIn()).toBe(0);
    off();
  });

  it('counts overlapping loads, and a release called twice counts once', () => {
    const a = holdBackground();
    const b = holdBackground();
    a();
    a();
    expect(loadHoldIn()).toBeGreaterThan(0);
    b();
    expect(loadHoldIn()).toBe(0);
  });
});
