/**
 * A whole t-SNE run on CC GENERAL in the built app (`npm run build && npx tsx scripts/tsne_whole_run.ts`; needs
 * ../shared): long tasks from choosing t-SNE to the end of its 1000 iterations, and the full redraws when it ends.
 */
import { startApp, waitForClusters } from '../test/e2e/harness.ts';
import { sharedPath } from '../test/helpers/shared.ts';
const app = await startApp();
const page = await app.page(1280, 800);
await page.goto(app.url);
await waitForClusters(page);
await page.getByLabel('Upload data').setInputFiles(sharedPath('data', 'cc_general.csv'));
await page.waitForFunction(() => (globalThis as any).__clustertune.dataset.table?.source === 'file', null, { timeout: 60000 });
await waitForClusters(page);
await page.waitForTimeout(1500);
await page.evaluate(() => { const w = window as any; w.__t0 = performance.now(); w.__lt = []; new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__lt.push([Math.round(e.startTime - w.__t0), Math.round(e.duration)]))).observe({ type: 'longtask' }); performance.clearMeasures('plot-redraw'); });
await page.getByLabel('embedding', { exact: true }).selectOption('tsne');
const t0 = Date.now();
await page.waitForFunction(() => (globalThis as any).__clustertune.view.stream.layout?.done === true, null, { timeout: 300000, polling: 200 });
const doneAt = Date.now() - t0;
await page.waitForTimeout(1500);
const r = await page.evaluate(() => ({ lt: (window as any).__lt, frames: (globalThis as any).__clustertune.view.stream.frames, redraws: performance.getEntriesByName('plot-redraw').map((e: any) => [Math.round(e.startTime - (window as any).__t0), Math.round(e.duration), String(e.detail).slice(0, 30)]) }));
console.log('done after', doneAt, 'ms; frames', r.frames);
console.log('long tasks [start ms, duration ms]', JSON.stringify(r.lt));
console.log('full redraws', JSON.stringify(r.redraws));
await app.close();
