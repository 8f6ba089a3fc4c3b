/**
 * End-to-end speed in headless Chromium: figures for BENCHMARKS.md, not a test. `npm run bench:browser`
 * (run `npm run build` first). Every recolour is recorded by the app as performance.measure('recolour'), from the
 * slider's input event to the moment the plot committed the new colours (the worker's answer included).
 * - cold start: navigation to the first coloured scatter of the demo data (8950 points);
 * - k slider (K-Means, demo data) and eps slider (DBSCAN, CC GENERAL from ../shared when present): 50 keyboard moves;
 *   long tasks (> 50 ms) during the moves; Event Timing (input -> next paint) of the key presses;
 * - two panes: pane 1's eps moves recolour both panes (pane 2's colours are matched to pane 1's clusters);
 * - 100,000 generated rows: upload to first coloured scatter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, waitForClusters, type App } from '../test/e2e/harness.ts';
import { HAVE_SHARED, sharedPath } from '../test/helpers/shared.ts';
import { RandomState } from '../workers/engine/util/random.ts';

const q = (a: number[], p: number) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
};
const rows: string[] = [];
const row = (what: string, a: number[], note = '') =>
  rows.push(`| ${what} | ${q(a, 0.5).toFixed(1)} ms | ${q(a, 0.95).toFixed(1)} ms | n=${a.length}${note ? `; ${note}` : ''} |`);

async function observe(page: Page) {
  await page.evaluate(() => {
    const w = window as any;
    w.__lt = [];
    w.__ev = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__lt.push(e.duration))).observe({ type: 'longtask' });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__ev.push(e.duration))).observe({ type: 'event', durationThreshold: 16 } as any);
    performance.clearMeasures('recolour');
  });
}

async function collect(page: Page) {
  return page.evaluate(() => ({
    recolour: performance.getEntriesByName('recolour').map((e: any) => ({ d: e.duration, ch: e.detail?.channel })),
    longtasks: (window as any).__lt as number[],
    events: (window as any).__ev as number[],
  }));
}

async function moveSlider(page: Page, label: string, moves: number, within?: string) {
  const scope = within ? page.getByRole('region', { name: within }) : page;
  await scope.getByLabel(label, { exact: true }).first().focus();
  for (let i = 0; i < moves; i++) {
    await page.keyboard.press(i % 10 < 5 ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(600);
}

async function sliderRun(page: Page, what: string, label: string, within?: string) {
  await observe(page);
  await moveSlider(page, label, 50, within);
  const m = await collect(page);
  for (const ch of [...new Set(m.recolour.map((r) => r.ch))].sort()) {
    row(`${what}: input → colours committed (${ch})`, m.recolour.filter((r) => r.ch === ch).map((r) => r.d));
  }
  rows.push(`| ${what}: long tasks (> 50 ms) during 50 moves | ${m.longtasks.length} | max ${m.longtasks.length ? Math.max(...m.longtasks).toFixed(0) : 0} ms | |`);
  if (m.events.length) row(`${what}: Event Timing, key press → next paint (≥ 16 ms only)`, m.events);
}

async function uploadAndWait(page: Page, path: string) {
  const t0 = Date.now();
  await page.getByLabel('Upload data').setInputFiles(path);
  await page.waitForFunction(() => (globalThis as any).__clustertune.dataset.table?.source === 'file', null, { timeout: 600_000 });
  await waitForClusters(page, 600_000);
  return Date.now() - t0;
}

function makeCsv100k(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clustertune-bench-'));
  const rng = new RandomState(7);
  const d = 17;
  const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, () => rng.normal() * 4));
  const lines = [Array.from({ length: d }, (_, j) => `f${j + 1}`).join(',')];
  for (let i = 0; i < 100_000; i++) {
    const c = centres[i % 8];
    const s = 0.5 + (i % 8) * 0.15;
    lines.push(c.map((m) => (m + rng.normal() * s).toFixed(4)).join(','));
  }
  const path = join(dir, 'mixture_100k.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function main(app: App) {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const page = await app.page(1280, 800);
    const t0 = Date.now();
    await page.goto(app.url);
    await waitForClusters(page);
    starts.push(Date.now() - t0);
    await page.context().close();
  }
  row('cold start → first coloured scatter (demo, 8950 points)', starts);

  let page = await app.page(1280, 800);
  await page.goto(app.url);
  await waitForClusters(page);
  await sliderRun(page, 'k slider, K-Means, demo 8950', 'n_clusters');
  await page.context().close();

  page = await app.page(1280, 800);
  await page.goto(app.url);
  await waitForClusters(page);
  let what = 'eps slider, DBSCAN, demo 8950';
  if (HAVE_SHARED) {
    await uploadAndWait(page, sharedPath('data', 'cc_general.csv'));
    what = 'eps slider, DBSCAN, CC GENERAL 8950';
  }
  await page.getByLabel('algorithm').first().selectOption('DBSCAN');
  await waitForClusters(page);
  await sliderRun(page, what, 'eps');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Add pane' }).click();
  await page.getByRole('region', { name: 'Pane 2' }).getByLabel('algorithm').selectOption('KMeans');
  await page.waitForTimeout(2000);
  await sliderRun(page, `${what}, 2 panes (pane 1 moves)`, 'eps', 'Pane 1');
  await page.context().close();

  page = await app.page(1280, 800);
  await page.goto(app.url);
  await waitForClusters(page);
  const ms = await uploadAndWait(page, makeCsv100k());
  rows.push(`| 100,000 × 17 upload → first coloured scatter (K-Means k=4) | ${ms} ms | | n=1 |`);
  await observe(page);
  await moveSlider(page, 'n_clusters', 10);
  const m = await collect(page);
  row('100,000: k slider input → colours committed', m.recolour.map((r) => r.d), 'n_init auto');
  await page.context().close();
}

const app = await startApp();
try {
  await main(app);
} finally {
  await app.close();
}
console.log(['| browser measure | median | p95 | note |', '|---|---:|---:|---|', ...rows].join('\n'));
