/**
 * The Segments tab in real Chromium on the demo data: profiles and automatic names, renaming a segment (the name
 * travels in the exported configuration and the labelled CSV and comes back on import), the CART rules, scoring a
 * customer through the form and a CSV of customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { startApp, openApp, labels, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

async function openSegments(): Promise<Page> {
  const page = await openApp(app);
  await page.getByRole('tab', { name: 'Segments' }).click();
  await expect.poll(() => page.getByTestId('segment-card').count()).toBe(4);
  return page;
}

const segmentName = (page: Page, l: number) => page.getByRole('textbox', { name: `name of segment ${l}`, exact: true });

describe('the Segments tab on the demo data', () => {
  it('profiles the segments, names them, explains them with rules and shows the silhouette plot', async () => {
    const page = await openSegments();
    expect(await page.getByTestId('segments-summary').textContent()).toMatch(/4\s+segments of\s+8,950\s+customers/);
    const names = await Promise.all([0, 1, 2, 3].map((l) => segmentName(page, l).inputValue()));
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^(very |much )?(high|low|frequent|rare|many|few|long|short|older|younger|average)/i);
    // The numbers are text: 17 features, each segment's mean and the population's.
    expect(await page.getByTestId('profile-table').locator('tbody tr').count()).toBe(17);
    // The heatmap: 4 segments x 17 features; the toggle shows original-unit means.
    const heat = () => page.evaluate(() => {
      const gd = document.querySelector('[aria-label^="Profile heatmap"]') as any;
      return { z: gd?.data?.[0]?.z, text: gd?.data?.[0]?.text };
    });
    await expect.poll(async () => (await heat()).z?.length).toBe(4);
    expect((await heat()).z[0].length).toBe(17);
    expect((await heat()).text[0][0]).toMatch(/^[+−]\d\.\d\d$/);
    await page.getByRole('radio', { name: 'means in original units' }).check();
    await expect.poll(async () => (await heat()).text[0][0]).not.toMatch(/^[+−]/);
    // Rules: readable, ending in a segment's name; cross-validated accuracy as text.
    await expect.poll(() => page.getByTestId('cv-accuracy').textContent()).toMatch(/^\d+(\.\d+)? %$/);
    const acc = Number((await page.getByTestId('cv-accuracy').textContent())!.replace(' %', ''));
    expect(acc).toBeGreaterThan(70);
    const rules = await page.getByTestId('rules').locator('li .text').allTextContents();
    expect(rules.length).toBeGreaterThanOrEqual(4);
    for (const r of rules) expect(names.some((n) => r.endsWith(`→ ${n}`))).toBe(true);
    expect(rules.join('\n')).toMatch(/(≤|>) \d/);
    // A shallower tree: fewer rules.
    await page.getByLabel('max_depth value').fill('1');
    await expect.poll(() => page.getByTestId('rules').locator('li').count()).toBeLessThanOrEqual(2);
    // Silhouette plot: one band per segment and the mean as text.
    await expect.poll(() => page.getByTestId('silhouette-mean').textContent(), { timeout: 60_000 }).toMatch(/Mean silhouette\s+0\.\d+/);
    const bands = () => page.evaluate(() => (document.querySelector('.js-plotly-plot[aria-label^="Silhouette plot:"]') as any)?.data?.length);
    await expect.poll(bands).toBe(4);
    await page.context().close();
  });

  it('a renamed segment travels in the exported configuration and the labelled CSV, and comes back on import', async () => {
    const page = await openSegments();
    const auto2 = await segmentName(page, 2).inputValue();
    await segmentName(page, 1).fill('Cash-advance heavy, "revolvers"');
    await segmentName(page, 1).press('Enter');
    await expect.poll(() => page.getByTestId('rules').textContent()).toContain('→ Cash-advance heavy, "revolvers"');

    const [cfgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
    const text = readFileSync((await cfgDownload.path())!, 'utf8');
    const config = JSON.parse(text);
    expect(config.segments.names['1']).toBe('Cash-advance heavy, "revolvers"');
    expect(config.segments.names['2']).toBe(auto2);
    expect(Object.keys(config.segments.names)).toEqual(['0', '1', '2', '3']);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download labelled CSV' }).click()]);
    const rows = Papa.parse<string[]>(readFileSync((await csvDownload.path())!, 'utf8').trim()).data;
    expect(rows[0].slice(-2)).toEqual(['cluster', 'cluster_name']);
    const own = await labels(page);
    expect(rows.length).toBe(own.length + 1);
    rows.slice(1).forEach((r, i) => {
      expect(Number(r.at(-2))).toBe(own[i]);
      if (own[i] === 1) expect(r.at(-1)).toBe('Cash-advance heavy, "revolvers"');
      if (own[i] === 2) expect(r.at(-1)).toBe(auto2);
    });

    // Rename again, then import the exported file: the exported names come back.
    await segmentName(page, 1).fill('Something else');
    await segmentName(page, 1).press('Enter');
    await expect.poll(() => segmentName(page, 1).inputValue()).toBe('Something else');
    await page.getByLabel('Import configuration').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => segmentName(page, 1).inputValue()).toBe('Cash-advance heavy, "revolvers"');
    // A bad segments field is refused, naming it, and changes nothing.
    const bad = JSON.stringify({ ...config, segments: { names: { x: 'oops' } } });
    await page.getByLabel('Import configuration').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    await expect.poll(() => page.getByTestId('import-error').textContent()).toContain('segments.names.x');
    expect(await segmentName(page, 1).inputValue()).toBe('Cash-advance heavy, "revolvers"');
    await page.context().close();
  });

  it('scores a customer through the form, shows it on the scatter, and scores a CSV of customers', async () => {
    const page = await openSegments();
    // Type a training customer's values (row 11) into the form: it must land in its own segment.
    const { features, values, label } = await page.evaluate(() => {
      const s = (globalThis as any).__clustertune;
      const p = s.dataset.prepared;
      const i = 11;
      return { features: p.spec.features as string[], values: Array.from(p.raw.subarray(i * p.n_features, (i + 1) * p.n_features)) as number[], label: s.panes[0].result.labels[i] as number };
    });
    for (let j = 0; j < features.length; j++) {
      await page.getByRole('textbox', { name: features[j], exact: true }).fill(Number.isNaN(values[j]) ? '' : String(values[j]));
    }
    await page.getByRole('button', { name: 'Score customer' }).click();
    await expect.poll(() => page.getByTestId('score-result').getAttribute('data-label')).toBe(String(label));
    const name = await segmentName(page, label).inputValue();
    expect(await page.getByTestId('score-name').textContent()).toBe(name);
    expect(await page.getByTestId('score-result').textContent()).toContain('K-Means: the nearest centre');
    const star = () => page.evaluate(() => (document.querySelector('[aria-label^="The new customer"]') as any)?.data?.[1]?.x?.length);
    await expect.poll(star).toBe(1);
    // A value that is not a number is explained, not scored.
    await page.getByRole('textbox', { name: 'BALANCE', exact: true }).fill('lots');
    await page.getByRole('button', { name: 'Score customer' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'BALANCE must be a number' }).count()).toBe(1);

    // Batch: three customers in a CSV -> a labelled CSV with names.
    const csv = Papa.unparse({ fields: ['CUSTOMER', ...features], data: [0, 1, 2].map((k) => [`new-${k}`, ...values.map((v, j) => (Number.isNaN(v) ? '' : String(v * (1 + 0.01 * k * (j % 2)))))]) });
    await page.getByLabel('Score a CSV of new customers').setInputFiles({ name: 'new_customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByTestId('batch-result').textContent()).toMatch(/3 customers scored/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download scored CSV' }).click()]);
    const out = Papa.parse<string[]>(readFileSync((await dl.path())!, 'utf8').trim()).data;
    expect(out[0]).toEqual(['CUSTOMER', ...features, 'cluster', 'cluster_name']);
    expect(out.length).toBe(4);
    expect(out[1].at(-2)).toBe(String(label));
    expect(out[1].at(-1)).toBe(name);
    await page.context().close();
  });
});
