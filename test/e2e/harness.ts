/**
 * End-to-end harness: serves the built app (dist/, `npm run build` first) with Vite's preview server and drives it in
 * Debian's Chromium through playwright-core (Playwright's own browser download does not work here).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers/shared.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export interface App {
  url: string;
  browser: Browser;
  close(): Promise<void>;
  page(width?: number, height?: number): Promise<Page>;
}

export async function startApp(): Promise<App> {
  if (!existsSync(resolve(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  if (!CHROMIUM) throw new Error('Chromium not found: install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH');
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'error', preview: { port: 0, host: '127.0.0.1', open: false } });
  const addr = server.httpServer.address();
  const port = typeof addr === 'object' && addr ? addr.port : 4173;
  const url = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    url,
    browser,
    async page(width = 1280, height = 800) {
      const ctx = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.error('[page error]', e.message));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.httpServer.close(() => r()));
    },
  };
}

/** Opens the app and waits until the first clustering is drawn. */
export async function openApp(app: App, width?: number, height?: number): Promise<Page> {
  const page = await app.page(width, height);
  await page.goto(app.url);
  await waitForClusters(page);
  return page;
}

/** Waits until the primary pane has a result for the current data and the scatter holds every point. */
export async function waitForClusters(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = (globalThis as any).__clustertune;
      const p = s?.dataset?.prepared;
      const pane = s?.panes?.[0];
      const gd = document.querySelector('.scatter .js-plotly-plot') as any;
      // (and not mid-drag: the colours of a drag reach Plotly once it pauses, see Plot.svelte pointLayer)
      const mode = gd?.querySelector('canvas.motion-layer')?.__layer?.mode;
      return !!(p && pane?.result && pane.resultKey === p.key && !pane.busy && gd?.data?.[0]?.x?.length === p.n_samples && Array.isArray(gd.data[0].marker.color) && mode !== 'drag');
    },
    null,
    { timeout, polling: 50 },
  );
}

/** The primary pane's labels as a plain array. */
export function labels(page: Page): Promise<number[]> {
  return page.evaluate(() => Array.from((globalThis as any).__clustertune.panes[0].result.labels as Int32Array));
}

/** The scatter's marker colours as Plotly holds them. */
export function markerColours(page: Page): Promise<string[]> {
  return page.evaluate(() => (document.querySelector('.scatter .js-plotly-plot') as any).data[0].marker.color.slice());
}
