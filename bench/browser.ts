/**
 * End-to-end speed in headless Chromium (not a test: figures for BENCHMARKS.md).
 * `npm run bench:browser` (builds nothing: run `npm run build` first).
 * - cold start: navigation to the first coloured scatter of the demo data (8950 points), median of 5 loads;
 * - k slider: 50 keyboard moves of n_clusters, each recorded by the app as performance.measure('recolour')
 *   from the input event to Plotly's commit; median and p95, and long tasks (> 50 ms) during the moves;
 * - Event Timing: input -> next paint durations of the key presses (rounded to 8 ms by the browser).
 */
import { startApp, waitForClusters } from '../test/e2e/harness.ts';

const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
};

async function main() {
  const app = await startApp();
  const rows: string[] = [];
  try {
    // Cold start
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await app.page(1280, 800);
      await page.goto(app.url);
      await waitForClusters(page);
      starts.push(await page.evaluate(() => performance.now()));
      await page.context().close();
    }
    rows.push(`| cold start → first coloured scatter (8950 points) | ${q(starts, 0.5).toFixed(0)} ms | ${q(starts, 0.95).toFixed(0)} ms | n=5 |`);

    // k slider
    const page = await app.page(1280, 800);
    await page.goto(app.url);
    await waitForClusters(page);
    await page.evaluate(() => {
      (window as any).__lt = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => (window as any).__lt.push(e.duration))).observe({ type: 'longtask' });
      (window as any).__ev = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => (window as any).__ev.push(e.duration))).observe({ type: 'event', durationThreshold: 16 } as any);
      performance.clearMeasures('recolour');
    });
    const slider = page.getByLabel('n_clusters', { exact: true });
    await slider.focus();
    for (let i = 0; i < 50; i++) {
      await page.keyboard.press(i % 8 < 4 ? 'ArrowRight' : 'ArrowLeft');
      await page.waitForFunction(() => !(globalThis as any).__clustertune.panes[0].busy, null, { polling: 5 });
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(500);
    const m = await page.evaluate(() => ({
      recolour: performance.getEntriesByName('recolour').map((e) => e.duration),
      longtasks: (window as any).__lt as number[],
      events: (window as any).__ev as number[],
    }));
    rows.push(`| k slider input → colours committed (recolour measure) | ${q(m.recolour, 0.5).toFixed(1)} ms | ${q(m.recolour, 0.95).toFixed(1)} ms | n=${m.recolour.length} |`);
    rows.push(`| long tasks during 50 moves | ${m.longtasks.length} | max ${m.longtasks.length ? Math.max(...m.longtasks).toFixed(0) : 0} ms | |`);
    if (m.events.length) rows.push(`| Event Timing (keydown → next paint, ≥16 ms) | ${q(m.events, 0.5).toFixed(0)} ms | ${q(m.events, 0.95).toFixed(0)} ms | n=${m.events.length} |`);
    await page.context().close();
  } finally {
    await app.close();
  }
  console.log(['| browser measure | median | p95 | note |', '|---|---:|---:|---|', ...rows].join('\n'));
}

await main();
