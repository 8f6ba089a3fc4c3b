/**
 * The slider lookahead in Chromium: once a DBSCAN fit is on screen, the pane's worker computes the eps slider's other
 * steps in the background; a slider move to one of them is answered in the input event (no worker round trip) with
 * exactly the labels the engine gives for that eps. A value off the grid (typed) still goes to the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';
import { fitEstimator } from '../../workers/engine/cluster/estimators.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const state = (page: Page) =>
  page.evaluate(() => {
    const p = (globalThis as any).__clustertune.panes[0];
    return { size: p.lookahead.size as number, hits: p.lookahead.hits as number, eps: p.params.DBSCAN.eps as number, resultEps: p.resultEstimator?.params.eps as number };
  });

/** The engine's labels for DBSCAN at this eps on the page's own prepared matrix, computed here in Node. */
async function engineLabels(page: Page, eps: number): Promise<number[]> {
  const m = await page.evaluate(() => {
    const p = (globalThis as any).__clustertune.dataset.prepared;
    return { X: Array.from(p.X as Float64Array), n: p.n_samples as number, d: p.n_features as number };
  });
  const r = fitEstimator({ data: Float64Array.from(m.X), n_samples: m.n, n_features: m.d }, { name: 'DBSCAN', params: { eps, min_samples: 10, metric: 'euclidean' } });
  return Array.from(r.labels);
}

describe('slider lookahead', () => {
  it('answers eps steps from the table, with the engine labels; an off-grid value goes to the worker', async () => {
    const page = await openApp(app);
    await page.getByLabel('algorithm').first().selectOption('DBSCAN');
    await waitForClusters(page);
    const slider = page.getByLabel('eps', { exact: true });
    await expect.poll(() => slider.getAttribute('max'), { timeout: 30_000 }).not.toBe('5');
    await expect.poll(async () => (await state(page)).size, { timeout: 30_000 }).toBeGreaterThan(20);
    const before = await state(page);
    await slider.focus();
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(60);
    }
    await waitForClusters(page);
    const after = await state(page);
    expect(after.hits - before.hits).toBe(3);
    expect(after.resultEps).toBe(after.eps);
    expect(after.eps).toBe(Number(await slider.inputValue()));
    expect(await labels(page)).toEqual(await engineLabels(page, after.eps));
    // the metrics panel follows a table answer as it follows a worker one
    const shown = Number((await page.locator('[data-metric="n_clusters"]').first().textContent())!.split(' ')[0]);
    expect(shown).toBe(Math.max(...(await labels(page))) + 1);

    // typed, off the slider's grid: the worker answers
    const typed = Number((after.eps + 0.0123).toFixed(4));
    await page.getByLabel('eps value').fill(String(typed));
    await expect.poll(async () => (await state(page)).resultEps, { timeout: 20_000 }).toBe(typed);
    await waitForClusters(page);
    expect((await state(page)).hits).toBe(after.hits);
    expect(await labels(page)).toEqual(await engineLabels(page, typed));
    await page.context().close();
  });
});
