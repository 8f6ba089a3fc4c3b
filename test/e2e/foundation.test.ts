/**
 * The foundation's user stories in real headless Chromium: demo data drawn on open, the k slider recolours live,
 * a real CSV upload, export -> import gives the same labels, bad input shows an error and keeps the previous state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startApp, openApp, waitForClusters, labels, markerColours, type App } from './harness.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the app on its demo data', () => {
  it('opens on the synthetic credit-card demo, clustered and drawn with every point', async () => {
    const page = await openApp(app);
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('8950');
    expect(await page.getByTestId('n-features').textContent()).toBe('17');
    await expect.poll(() => page.getByText('synthetic demo').count()).toBeGreaterThan(0);
    const colours = await markerColours(page);
    expect(colours.length).toBe(8950);
    expect(new Set(colours).size).toBe(4); // default n_clusters = 4
    // The summary is text on the page, not only in a plot.
    expect(await page.locator('[data-metric="n_clusters"]').textContent()).toBe('4');
    await expect.poll(() => page.locator('[data-metric="silhouette"]').textContent(), { timeout: 30_000 }).toMatch(/^-?0\.\d+/);
    expect(Number((await page.locator('[data-metric="inertia"]').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
    await page.context().close();
  });

  it('recolours the scatter while the n_clusters slider moves (input events)', async () => {
    const page = await openApp(app);
    const before = await markerColours(page);
    const slider = page.getByLabel('n_clusters', { exact: true });
    await slider.focus();
    await page.keyboard.press('ArrowRight'); // 4 -> 5: an input event, no release needed
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('5');
    await waitForClusters(page);
    const after = await markerColours(page);
    expect(after.length).toBe(before.length);
    expect(new Set(after).size).toBe(5);
    expect(after).not.toEqual(before);
    await page.context().close();
  });

  it('exports the configuration and importing it back gives exactly the same labels', async () => {
    const page = await openApp(app);
    await page.getByLabel('n_clusters', { exact: true }).fill('6');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('6');
    await waitForClusters(page);
    const original = await labels(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const config = JSON.parse(text);
    expect(config.format).toBe('clustertune-config');
    expect(config.estimators[0]).toMatchObject({ name: 'KMeans', params: { n_clusters: 6, random_state: 0 } });
    expect(config.dataset.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(config.preprocessing.fitted.center.length).toBe(17);
    // Change the state, then import: the labels must come back exactly.
    await page.getByLabel('n_clusters value').fill('3');
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('3');
    await page.getByLabel('Import configuration').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('6');
    await waitForClusters(page);
    expect(await labels(page)).toEqual(original);
    await page.context().close();
  });

  it('downloads the data with the cluster label as a column', async () => {
    const page = await openApp(app);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download labelled CSV' }).click()]);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(lines.length).toBe(8951);
    expect(lines[0].split(',').at(-1)).toBe('cluster');
    expect(lines[0].startsWith('CUST_ID,BALANCE,')).toBe(true);
    const got = lines.slice(1).map((l) => Number(l.split(',').at(-1)));
    expect(got).toEqual(await labels(page));
    await page.context().close();
  });
});

describe('bad input: a clear message, nothing lost', () => {
  const upload = (page: any, name: string, content: string | Buffer) =>
    page.getByLabel('Upload data').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });

  it('rejects an empty file, a binary file and ragged rows, and keeps the previous data', async () => {
    const page = await openApp(app);
    const before = await labels(page);
    for (const [name, content, pattern] of [
      ['empty.csv', '', /empty/i],
      ['binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]), /does not look like a CSV/i],
      ['header.csv', 'a,b,c\n', /no data rows|header/i],
      ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', /line 3|fields/i],
    ] as const) {
      await upload(page, name, content as any);
      await expect.poll(() => page.getByTestId('load-error').textContent()).toMatch(pattern);
      expect(await page.getByTestId('n-rows').textContent()).toBe('8950');
    }
    expect(await labels(page)).toEqual(before);
    await page.context().close();
  });

  it('shows HTML in a column name or a cell as text, never as HTML', async () => {
    const page = await openApp(app);
    const csv = 'id,<img src=x onerror="window.__pwned=1">,<b>bold</b>\n' + Array.from({ length: 30 }, (_, i) => `r${i},${i},${(i * 7) % 11}`).join('\n') + '\n';
    await upload(page, 'html.csv', csv);
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('30');
    await page.getByRole('tab', { name: 'Columns' }).click();
    // the names appear as text (the column table, the add-column form), never as elements
    await expect.poll(() => page.getByRole('cell', { name: '<b>bold</b>', exact: true }).count()).toBe(1);
    expect(await page.getByText('<img src=x onerror="window.__pwned=1">', { exact: true }).count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('table b').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    await page.context().close();
  });

  it('explains k larger than the data beside the control and keeps the last good result', async () => {
    const page = await openApp(app);
    await page.getByLabel('data set').selectOption('iris');
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('150');
    await waitForClusters(page);
    const before = await labels(page);
    await page.getByLabel('n_clusters value').fill('500');
    await expect.poll(() => page.locator('[role=alert][data-param="n_clusters"]').textContent()).toMatch(/n_clusters.*150/);
    await page.getByLabel('n_clusters value').fill('-2');
    await expect.poll(() => page.locator('[role=alert][data-param="n_clusters"]').textContent()).toMatch(/n_clusters/);
    expect(await labels(page)).toEqual(before);
    await page.context().close();
  });

  it('rejects a 0-byte configuration, an unknown estimator and a negative n_clusters, changing nothing', async () => {
    const page = await openApp(app);
    const before = await labels(page);
    const cases: [string, RegExp][] = [
      ['', /empty|not JSON/i],
      [JSON.stringify({ format: 'clustertune-config', version: 1, preprocessing: { impute: 'median', log1p: [], scaler: 'standard' }, estimators: [{ name: 'Foo', params: {} }] }), /Foo/],
      [JSON.stringify({ format: 'clustertune-config', version: 1, preprocessing: { impute: 'median', log1p: [], scaler: 'standard' }, estimators: [{ name: 'KMeans', params: { n_clusters: -3 } }] }), /n_clusters/],
    ];
    for (const [text, pattern] of cases) {
      await page.getByLabel('Import configuration').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(pattern);
      expect(await labels(page)).toEqual(before);
    }
    await page.context().close();
  });
});

describe.skipIf(!HAVE_SHARED)('real data: ../shared/data/cc_general.csv', () => {
  it('uploads CC GENERAL: 8950 rows x 17 numeric features, CUST_ID excluded', async () => {
    const page = await openApp(app);
    await page.getByLabel('Upload data').setInputFiles(sharedPath('data', 'cc_general.csv'));
    await expect.poll(() => page.getByTestId('data-summary').textContent(), { timeout: 30_000 }).toContain('cc_general.csv');
    expect(await page.getByTestId('n-rows').textContent()).toBe('8950');
    expect(await page.getByTestId('n-features').textContent()).toBe('17');
    await waitForClusters(page);
    await page.getByRole('tab', { name: 'Columns' }).click();
    expect(await page.getByLabel('use CUST_ID').isChecked()).toBe(false);
    await page.context().close();
  });
});
if (!HAVE_SHARED) console.warn(SHARED_SKIP_REASON);
