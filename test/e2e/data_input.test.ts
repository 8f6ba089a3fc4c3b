/**
 * Loading data in real Chromium: drag-and-drop, choosing columns (a text column gives a clear error beside the
 * column table), a single row, Infinity, and a configuration made on other data asks before it is applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

function drop(page: Page, name: string, content: string) {
  return page.evaluate(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: 'text/csv' }));
      const el = document.querySelector('.app')!;
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, content },
  );
}

describe('loading and choosing data', () => {
  it('loads a file dropped on the page (semicolon-separated), excluding its identifier column', async () => {
    const page = await openApp(app);
    await drop(page, 'shop.csv', 'customer;spend;visits\n' + rows(60, (i) => `K${1000 + i};${(i * 37) % 500};${i % 9}`));
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('60');
    expect(await page.getByTestId('n-features').textContent()).toBe('2');
    await waitForClusters(page);
    await page.getByRole('tab', { name: 'Columns' }).click();
    expect(await page.getByLabel('use customer').isChecked()).toBe(false);
    expect(await page.getByLabel('use spend').isChecked()).toBe(true);
    await page.context().close();
  });

  it('says so beside the column table when a text column is chosen as a feature, and keeps the result', async () => {
    const page = await openApp(app);
    await drop(page, 'mixed.csv', 'id,grade,score\n' + rows(40, (i) => `${i},${['gold', 'silver', 'bronze'][i % 3]},${(i * 13) % 17}.5`));
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('40');
    await waitForClusters(page);
    const before = await labels(page);
    await page.getByRole('tab', { name: 'Columns' }).click();
    await page.getByLabel('use grade').check();
    await expect.poll(() => page.getByTestId('column-error').textContent()).toMatch(/grade.*(text|numeric|number)/i);
    expect(await page.getByTestId('n-features').textContent()).toBe('1');
    expect(await labels(page)).toEqual(before);
    await page.context().close();
  });

  it('refuses a column with Infinity when it is chosen, naming the column', async () => {
    const page = await openApp(app);
    await drop(page, 'inf.csv', 'a,b\n' + rows(30, (i) => `${i % 7},${i === 5 ? 'Infinity' : i * 2}`));
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('30');
    await waitForClusters(page);
    await page.getByRole('tab', { name: 'Columns' }).click();
    await page.getByLabel('use b').check();
    await expect.poll(() => page.getByTestId('column-error').textContent()).toMatch(/b/);
    expect(await page.getByTestId('n-features').textContent()).toBe('1');
    await page.context().close();
  });

  it('loads a single row and explains why it cannot be clustered into 4 groups', async () => {
    const page = await openApp(app);
    await drop(page, 'one.csv', 'a,b\n1,2\n');
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('1');
    await expect.poll(() => page.locator('[role=alert][data-param="n_clusters"]').textContent()).toMatch(/n_clusters/);
    await page.context().close();
  });
});

describe('a configuration made on other data', () => {
  it('says how the data differs and applies only after the user confirms', async () => {
    const page = await openApp(app);
    const json: string = await page.evaluate(() => (globalThis as any).__clustertune.configJson());
    const config = JSON.parse(json);
    config.dataset.fingerprint = 'sha256:' + '0'.repeat(64);
    config.estimators[0].params.n_clusters = 7;
    const upload = () =>
      page.getByLabel('Import configuration').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
    await upload();
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.textContent()).toMatch(/fingerprint|values differ/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('[data-metric="n_clusters"]').textContent()).toBe('4');
    await upload();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Apply anyway' }).click();
    await expect.poll(() => page.locator('[data-metric="n_clusters"]').textContent()).toBe('7');
    await page.context().close();
  });
});
