/**
 * A large upload in real Chromium (40,000 x 17, above RELAY_MIN_VALUES): the workers get their copies of the matrix
 * from the data worker, not from the main thread, and everything that reads them works (clusters, metrics, segment
 * profiles, the correlation heatmap, hover values in original units).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, openApp, waitForClusters, type App } from './harness.ts';
import { RELAY_MIN_VALUES } from '../../src/jobs/protocol.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { rawMatrix } from '../../workers/engine/data/preprocess.ts';
import { fingerprint } from '../../workers/engine/data/fingerprint.ts';

const N = 40_000;
const D = 17;
let app: App;
let dir: string;
let path: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clustertune-large-'));
  path = join(dir, 'blobs_40k.csv');
  const rng = new RandomState(3);
  const centres = Array.from({ length: 4 }, () => Array.from({ length: D }, () => rng.normal() * 5));
  const lines = [Array.from({ length: D }, (_, j) => `f${j + 1}`).join(',')];
  for (let i = 0; i < N; i++) lines.push(centres[i % 4].map((m) => (100 + m + rng.normal()).toFixed(3)).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a large upload', () => {
  it('reaches every worker through the data worker\'s copies, and every view that reads them works', async () => {
    expect(N * D).toBeGreaterThanOrEqual(RELAY_MIN_VALUES);
    const page = await openApp(app);
    const relay = () => page.evaluate(() => ({ ...(globalThis as any).__clustertuneRelay }));
    const before = await relay();
    await page.getByLabel('Upload data').setInputFiles(path);
    await page.waitForFunction((n) => (globalThis as any).__clustertune.dataset.prepared?.n_samples === n, N, { timeout: 120_000 });
    await waitForClusters(page, 120_000);
    // K-Means k=4 on four well-separated blobs finds them: four clusters of 10,000 (clusters and metrics workers)
    await expect.poll(() => page.evaluate(() => Array.from(new Set((globalThis as any).__clustertune.panes[0].result.labels)).length), { timeout: 60_000 }).toBe(4);
    await expect.poll(() => page.getByRole('region', { name: 'Pane 1' }).getByText(/silhouette/i).first().textContent(), { timeout: 60_000 }).toBeTruthy();
    // the hover text of a row holds its values in original units (the main thread's own copy of raw)
    const hover = await page.evaluate(() => String((document.querySelector('.scatter .js-plotly-plot') as any).data[0].text[2]));
    const line = readFileSync(path, 'utf8').split('\n')[3].split(',');
    expect(hover).toContain('row 3');
    expect(hover).toContain(`f1: ${Number(line[0])}`);
    // the point layer shows them all, drawn in parts of 25,000 points (a task each); so is a moving layout's frame
    const layerState = () =>
      page.evaluate(() => {
        const l = (document.querySelector('.scatter canvas.motion-layer') as any)?.__layer;
        return { mode: l?.mode, points: l?.drawn?.points, parts: l?.drawn?.parts };
      });
    expect(await layerState()).toEqual({ mode: 'still', points: N, parts: 2 });
    const embedding = page.getByRole('region', { name: 'Embedding' }).getByLabel('embedding', { exact: true });
    await embedding.selectOption('tsne');
    await expect.poll(layerState, { timeout: 60_000 }).toEqual({ mode: 'motion', points: N, parts: 2 });
    await embedding.selectOption('pca');
    await expect.poll(layerState, { timeout: 30_000 }).toEqual({ mode: 'still', points: N, parts: 2 });
    // Segments: profiles of 40,000 customers over 17 features
    await page.getByRole('tab', { name: 'Segments' }).click();
    await expect.poll(() => page.getByTestId('segments-summary').textContent(), { timeout: 60_000 }).toMatch(/4\s+segments of\s+40,000\s+customers/);
    expect(await page.getByTestId('profile-table').locator('tbody tr').count()).toBe(D);
    // Explore: the correlation heatmap of the 17 features, diagonal 1
    await page.getByRole('tab', { name: 'Explore' }).click();
    const z = () => page.evaluate(() => (document.querySelector('[aria-label="Correlation heatmap of the chosen features"]') as any)?.data?.[0]?.z ?? null);
    await expect.poll(async () => (await z())?.length, { timeout: 60_000 }).toBe(D);
    expect((await z())[5][5]).toBeCloseTo(1, 9);
    const after = await relay();
    // cluster, metrics, sweep, segments and explore workers: their copies came from the data worker
    expect(after.data_worker - before.data_worker).toBeGreaterThanOrEqual(4);
    expect(after.fallback - before.fallback).toBe(0);
    // the exported configuration's fingerprint (made when asked for, by the data worker from the matrix it keeps) is
    // the documented SHA-256 of the data
    const config = JSON.parse(await page.evaluate(() => (globalThis as any).__clustertune.configJson()));
    const columns = Array.from({ length: D }, (_, j) => `f${j + 1}`);
    expect(config.dataset.columns).toEqual(columns);
    expect(config.dataset.fingerprint).toBe(await fingerprint(rawMatrix(parseCsv(readFileSync(path, 'utf8'), 'blobs_40k.csv'), columns)));
  });
});
