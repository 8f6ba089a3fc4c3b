/**
 * The Explore tab in real Chromium on the demo data: the correlation heatmap (n x n, diagonal 1, Spearman and the
 * clustered order change it), one box plot per feature (the log scale makes the axes logarithmic; per cluster gives a
 * box per cluster), the scatter matrix of the chosen features coloured by pane 1's clusters, and the missing values
 * with how they were filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, labels, type App } from './harness.ts';
import { clusterColour } from '../../src/lib/palette.ts';
import { fmt } from '../../src/lib/text.ts';
import { SPLOM_SAMPLE, splomRows } from '../../src/state/explore_figures.ts';

let app: App;
let page: Page;
beforeAll(async () => {
  app = await startApp();
  page = await openApp(app);
  await page.getByRole('tab', { name: 'Explore' }).click();
});
afterAll(async () => {
  await app?.close();
});

const heat = () =>
  page.evaluate(() => {
    const gd = document.querySelector('[aria-label="Correlation heatmap of the chosen features"]') as any;
    return gd?.data?.[0] ? { z: gd.data[0].z as (number | null)[][], x: gd.data[0].x as string[] } : null;
  });
const boxes = () =>
  page.evaluate(() => {
    const gd = document.querySelector('[aria-label="Box plots of the features"]') as any;
    if (!gd?.data) return null;
    const box = gd.data.filter((t: any) => t.type === 'box');
    return {
      n: box.length,
      axes: new Set(box.map((t: any) => t.yaxis)).size,
      colours: box.map((t: any) => t.marker.color),
      names: box.map((t: any) => t.name),
      yTypes: Object.keys(gd.layout).filter((k) => k.startsWith('yaxis')).map((k) => gd.layout[k].type),
    };
  });
const splom = () =>
  page.evaluate(() => {
    const gd = document.querySelector('[aria-label="Scatter matrix of the chosen features"]') as any;
    const t = gd?.data?.[0];
    return t ? { type: t.type, dims: t.dimensions.map((d: any) => d.label), n: t.dimensions[0].values.length, colours: t.marker.color as string[] } : null;
  });
const nFeatures = () => page.evaluate(() => (globalThis as any).__clustertune.dataset.prepared.n_features as number);

describe('the Explore tab on the demo data', () => {
  it('draws the correlation heatmap: n x n cells, 1 on the diagonal; Spearman and the clustered order change it', async () => {
    const d = await nFeatures();
    expect(d).toBe(17);
    await expect.poll(async () => (await heat())?.z.length).toBe(d);
    const pearson = (await heat())!;
    for (let i = 0; i < d; i++) {
      expect(pearson.z[i].length).toBe(d);
      expect(pearson.z[i][i]).toBe(1);
      for (let j = 0; j < d; j++) expect(pearson.z[i][j]).toBe(pearson.z[j][i]);
    }
    await page.getByRole('radio', { name: 'Spearman' }).check();
    await expect.poll(async () => JSON.stringify((await heat())!.z)).not.toBe(JSON.stringify(pearson.z));
    const spearman = (await heat())!;
    for (let i = 0; i < d; i++) expect(spearman.z[i][i]).toBe(1);
    const diff = Math.max(...spearman.z.flatMap((row, i) => row.map((v, j) => Math.abs((v ?? 0) - (pearson.z[i][j] ?? 0)))));
    expect(diff).toBeGreaterThan(0.05);
    // Clustered order: the same features, another order (correlated ones side by side).
    await page.getByRole('checkbox', { name: 'clustered order' }).check();
    await expect.poll(async () => (await heat())!.x.join()).not.toBe(spearman.x.join());
    expect([...(await heat())!.x].sort()).toEqual([...spearman.x].sort());
  });

  it('shows the missing values and how they were filled', async () => {
    const table = page.getByTestId('missing-table');
    const row = table.locator('tbody tr', { hasText: 'MINIMUM_PAYMENTS' });
    await expect.poll(() => row.count()).toBe(1);
    const fill = await page.evaluate(() => {
      const p = (globalThis as any).__clustertune.dataset.prepared;
      const j = p.spec.features.indexOf('MINIMUM_PAYMENTS');
      return { value: p.fitted.impute_values[j] as number, missing: p.missing_per_column[j] as number };
    });
    expect(fill.missing).toBe(300);
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('MINIMUM_PAYMENTS');
    expect(cells[1]).toBe('300');
    expect(cells[3]).toBe(`median ${fmt(fill.value)}`);
  });

  it('draws one box plot per feature, on a log axis when asked, and a box per cluster', async () => {
    const d = await nFeatures();
    await expect.poll(async () => (await boxes())?.n).toBe(d);
    expect((await boxes())!.axes).toBe(d);
    expect(new Set((await boxes())!.yTypes)).toEqual(new Set(['linear']));
    await page.getByRole('checkbox', { name: 'log scale' }).check();
    await expect.poll(async () => (await boxes())!.yTypes.filter((t) => t === 'log').length).toBe(d);
    await page.getByRole('checkbox', { name: 'per cluster' }).check();
    const k = new Set(await labels(page)).size;
    expect(k).toBe(4);
    await expect.poll(async () => (await boxes())!.n).toBe(d * k);
    const b = (await boxes())!;
    expect(b.names.slice(0, k)).toEqual(['0', '1', '2', '3']);
    expect(b.colours.slice(0, k)).toEqual([0, 1, 2, 3].map(clusterColour));
    await page.getByRole('checkbox', { name: 'log scale' }).uncheck();
    await expect.poll(async () => new Set((await boxes())!.yTypes)).toEqual(new Set(['linear']));
  });

  it('draws the scatter matrix of the chosen features coloured by the clusters of pane 1', async () => {
    // Drawn once scrolled into view.
    await page.getByTestId('splom').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await splom())?.dims.length).toBe(4);
    const s = (await splom())!;
    expect(s.type).toBe('splom');
    const chosen = await page.evaluate(() => [...(globalThis as any).__clustertune.explore.splomFeatures]);
    expect(s.dims).toEqual(chosen);
    // a seeded sample of 2,000 rows, coloured by those rows' clusters
    const rows = splomRows(8950, SPLOM_SAMPLE);
    expect(s.n).toBe(SPLOM_SAMPLE);
    expect(await page.getByTestId('splom-rows').textContent()).toMatch(/sample of 2,000 of 8,950/);
    const l = await labels(page);
    expect(s.colours.length).toBe(rows.length);
    expect(s.colours.every((c, i) => c === clusterColour(l[rows[i]]))).toBe(true);
    // The picker: two more features, then no more than 6.
    const unchosen = (await page.evaluate(() => (globalThis as any).__clustertune.dataset.prepared.fitted.columns as string[])).filter((f) => !chosen.includes(f));
    const picker = page.getByRole('group', { name: /features \(up to 6\)/ });
    await picker.getByRole('checkbox', { name: unchosen[0], exact: true }).check();
    await picker.getByRole('checkbox', { name: unchosen[1], exact: true }).check();
    await expect.poll(async () => (await splom())!.dims.length).toBe(6);
    expect((await splom())!.dims).toContain(unchosen[1]);
    expect(await picker.getByRole('checkbox', { name: unchosen[2], exact: true }).isDisabled()).toBe(true);
    // Colours follow the clustering: n_clusters = 3 recolours the matrix.
    await page.getByLabel('n_clusters value').fill('3');
    await expect.poll(async () => new Set((await splom())!.colours).size).toBe(3);
    const l3 = await labels(page);
    expect((await splom())!.colours.every((c, i) => c === clusterColour(l3[rows[i]]))).toBe(true);
    // every row on request
    await page.getByLabel('all 8,950 rows').check();
    await expect.poll(async () => (await splom())!.n, { timeout: 30_000 }).toBe(8950);
    expect((await splom())!.colours.every((c, i) => c === clusterColour(l3[i]))).toBe(true);
  });
});
