/**
 * More kinds of customer data in real Chromium (issue 6): upload marketing_campaign.csv (tab-separated), add
 * Total_Spend (the sum of the six Mnt* columns) without leaving the app, cluster, rename a segment, score a new
 * customer through the form (it asks for the Mnt* columns, not Total_Spend), and download the labelled CSV: the
 * original columns, then the derived ones, then cluster and cluster_name. One-hot Education survives an export ->
 * import round trip with the same labels. An .xlsx workbook with two sheets uploads, and its sheet can be chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { startApp, openApp, waitForClusters, labels, type App } from './harness.ts';
import { HAVE_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared.ts';
import { makeXlsx } from '../helpers/xlsx.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const MNT = ['MntWines', 'MntFruits', 'MntMeatProducts', 'MntFishProducts', 'MntSweetProducts', 'MntGoldProds'];
const state = (page: Page, f: string) => page.evaluate(new Function(`const s = globalThis.__clustertune; return (${f});`) as () => unknown);

async function uploadMarketing(page: Page): Promise<void> {
  await page.getByLabel('Upload data').setInputFiles({ name: 'marketing_campaign.csv', mimeType: 'text/csv', buffer: readFileSync(sharedPath('data', 'marketing_campaign.csv')) });
  await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('2240');
  await waitForClusters(page);
}

async function addTotalSpend(page: Page): Promise<void> {
  const form = page.getByRole('form', { name: 'Add column' });
  if (!(await form.isVisible())) await page.getByText('Add column', { exact: true }).first().click();
  await form.getByRole('combobox', { name: 'kind' }).selectOption('sum');
  await form.getByRole('textbox', { name: 'name' }).fill('Total_Spend');
  for (const c of MNT) await form.getByRole('checkbox', { name: c, exact: true }).check();
  await form.getByRole('button', { name: 'Add column' }).click();
  await expect.poll(() => state(page, 's.dataset.table.columns.includes("Total_Spend")')).toBe(true);
  await waitForClusters(page);
}

describe.skipIf(!HAVE_SHARED)(`marketing_campaign.csv end to end (${HAVE_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  it('upload, add Total_Spend, cluster, rename a segment, score a new customer, download the labelled CSV', async () => {
    const page = await openApp(app);
    await uploadMarketing(page);
    expect(await page.getByTestId('n-features').textContent()).toBe('23');

    // An invalid definition is explained beside the form and changes nothing.
    await page.getByText('Add column', { exact: true }).first().click();
    const form = page.getByRole('form', { name: 'Add column' });
    await form.getByRole('textbox', { name: 'name' }).fill('Income');
    await form.getByRole('checkbox', { name: 'MntWines', exact: true }).check();
    await form.getByRole('checkbox', { name: 'MntFruits', exact: true }).check();
    await form.getByRole('button', { name: 'Add column' }).click();
    await expect.poll(() => page.getByTestId('derived-error').textContent()).toMatch(/"Income" already exists/);
    expect(await page.getByTestId('n-features').textContent()).toBe('23');
    await form.getByRole('checkbox', { name: 'MntWines', exact: true }).uncheck();
    await form.getByRole('checkbox', { name: 'MntFruits', exact: true }).uncheck();

    await addTotalSpend(page);
    expect(await page.getByTestId('n-features').textContent()).toBe('24');
    await expect.poll(() => page.getByRole('list', { name: 'Derived columns' }).textContent()).toContain('Total_Spend = MntWines + MntFruits');
    // An ordinary column: in the table, used, log1p-able.
    await page.getByRole('tab', { name: 'Columns' }).click();
    expect(await page.getByLabel('use Total_Spend').isChecked()).toBe(true);
    await page.getByLabel('log1p Total_Spend').check();
    await expect.poll(() => state(page, 's.dataset.spec.log1p.join()')).toBe('Total_Spend');
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await waitForClusters(page);

    // Rename a segment.
    await page.getByRole('tab', { name: 'Segments' }).click();
    await expect.poll(() => page.getByTestId('segment-card').count()).toBe(4);
    const name0 = page.getByRole('textbox', { name: 'name of segment 0', exact: true });
    await name0.fill('Big spenders');
    await name0.press('Enter');
    await expect.poll(() => state(page, 's.segments.nameOf(0)')).toBe('Big spenders');

    // Score a training customer through the form: it asks for the Mnt* columns (Total_Spend is computed).
    const i = 7;
    const { need, label } = (await state(page, `({ need: s.segments.inputColumns, label: s.panes[0].result.labels[${i}] })`)) as { need: string[]; label: number };
    expect(need).toEqual(expect.arrayContaining(MNT));
    expect(need).not.toContain('Total_Spend');
    const csvText = readFileSync(sharedPath('data', 'marketing_campaign.csv'), 'utf8');
    const table = Papa.parse<string[]>(csvText.trim(), { delimiter: '\t' }).data;
    const row = table[i + 1];
    for (const c of need) await page.getByRole('textbox', { name: c, exact: true }).fill(row[table[0].indexOf(c)]);
    expect(await page.getByRole('textbox', { name: 'Total_Spend', exact: true }).count()).toBe(0);
    expect(await page.getByTestId('score-derived').textContent()).toMatch(/Total_Spend = MntWines \+ MntFruits/);
    await page.getByRole('button', { name: 'Score customer' }).click();
    await expect.poll(() => page.getByTestId('score-result').getAttribute('data-label')).toBe(String(label));
    if (label === 0) expect(await page.getByTestId('score-name').textContent()).toBe('Big spenders');

    // The labelled CSV: the original columns, the derived one, then the labels and names.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download labelled CSV' }).click()]);
    const out = Papa.parse<string[]>(readFileSync((await dl.path())!, 'utf8').trim()).data;
    expect(out[0]).toEqual([...table[0], 'Total_Spend', 'cluster', 'cluster_name']);
    expect(out.length).toBe(2241);
    const own = await labels(page);
    const t = out[0].indexOf('Total_Spend');
    for (const k of [0, 1, 500, 2239]) {
      expect(Number(out[k + 1][t])).toBe(MNT.reduce((a, c) => a + Number(table[k + 1][table[0].indexOf(c)]), 0));
      expect(Number(out[k + 1].at(-2))).toBe(own[k]);
      if (own[k] === 0) expect(out[k + 1].at(-1)).toBe('Big spenders');
    }

    // Removing the derived column brings the data back to its own columns.
    await page.getByRole('button', { name: 'remove Total_Spend' }).click();
    await expect.poll(() => page.getByTestId('n-features').textContent()).toBe('23');
    expect(await state(page, 's.dataset.table.columns.includes("Total_Spend")')).toBe(false);
    await page.context().close();
  });

  it('one-hot Education and Total_Spend come back from an exported configuration with the same labels', async () => {
    const page = await openApp(app);
    await uploadMarketing(page);
    await addTotalSpend(page);
    await page.getByRole('tab', { name: 'Columns' }).click();
    await page.getByLabel('one-hot Education').check();
    await expect.poll(() => page.getByTestId('n-features').textContent()).toBe('29'); // 23 + Total_Spend + 5 categories
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await waitForClusters(page);
    const before = await labels(page);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
    const text = readFileSync((await dl.path())!, 'utf8');
    const config = JSON.parse(text);
    expect(config.preprocessing.derived).toEqual([{ name: 'Total_Spend', kind: 'sum', columns: MNT }]);
    expect(config.preprocessing.one_hot).toEqual(['Education']);
    expect(config.preprocessing.fitted.categories.Education).toEqual(['2n Cycle', 'Basic', 'Graduation', 'Master', 'PhD']);
    expect(config.dataset.columns).toContain('Education=PhD');

    // A fresh page with the plain file: importing brings back the derived and one-hot columns and the labels.
    const fresh = await openApp(app);
    await uploadMarketing(fresh);
    await fresh.getByLabel('Import configuration').setInputFiles({ name: 'm.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => fresh.getByTestId('n-features').textContent()).toBe('29');
    await waitForClusters(fresh);
    expect(await state(fresh, 's.dataset.table.columns.at(-1)')).toBe('Total_Spend');
    expect(await labels(fresh)).toEqual(before);
    await page.context().close();
    await fresh.context().close();
  });
});

describe('Excel workbooks', () => {
  it('uploads an .xlsx and reads the sheet chosen in the sheet menu', async () => {
    const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');
    const cell = (ref: string, v: string | number) => (typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`);
    const book = makeXlsx([
      {
        name: 'Shops',
        rows: `<row r="1">${cell('A1', 'shop')}${cell('B1', 'spend')}${cell('C1', 'visits')}</row>` + rows(40, (i) => `<row r="${i + 2}">${cell(`A${i + 2}`, `S${i}`)}${cell(`B${i + 2}`, (i * 37) % 200)}${cell(`C${i + 2}`, i % 7)}</row>`),
      },
      {
        name: 'Web & app',
        rows: `<row r="1">${cell('A1', 'a')}${cell('B1', 'b')}${cell('C1', 'c')}</row>` + rows(25, (i) => `<row r="${i + 2}">${cell(`A${i + 2}`, i)}${cell(`B${i + 2}`, (i * 13) % 11)}${cell(`C${i + 2}`, (i * 5) % 3)}</row>`),
      },
    ]);
    const page = await openApp(app);
    await page.getByLabel('Upload data').setInputFiles({ name: 'shops.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(book) });
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('40');
    expect(await page.getByTestId('n-features').textContent()).toBe('2');
    await waitForClusters(page);
    const menu = page.getByRole('combobox', { name: 'sheet' });
    expect(await menu.locator('option').allTextContents()).toEqual(['Shops', 'Web & app']);
    await menu.selectOption('Web & app');
    await expect.poll(() => page.getByTestId('n-rows').textContent()).toBe('25');
    await waitForClusters(page);
    expect(await page.getByTestId('n-features').textContent()).toBe('2'); // a: 0, 1, 2 … is an identifier
    // A damaged workbook is explained and the loaded sheet stays.
    await page.getByLabel('Upload data').setInputFiles({ name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from(book.slice(0, 300)) });
    await expect.poll(() => page.getByTestId('load-error').textContent()).toMatch(/broken\.xlsx/);
    expect(await page.getByTestId('n-rows').textContent()).toBe('25');
    await page.context().close();
  });
});
