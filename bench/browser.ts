/**
 * End-to-end speed in headless Chromium: figures for BENCHMARKS.md, not a test. `npm run bench:browser`
 * (run `npm run build` first; `BENCH_ONLY=eps,tsne` runs some sections: cold, k, eps, tsne, 100k, tsne100k).
 * Every recolour is recorded by the app as performance.measure('recolour'), from the slider's input event to the
 * moment the plot committed the new colours (the worker's answer included); its detail splits the path
 * (input -> job posted -> answer received -> committed, and the worker's own time).
 * - cold start: navigation to the first coloured scatter of the demo data (8950 points);
 * - k slider (K-Means, demo data) and eps slider (DBSCAN, CC GENERAL from ../shared when present): 50 keyboard moves
 *   100 ms apart; long tasks (> 50 ms) during the moves; Event Timing (input -> next paint) of the key presses;
 * - two panes: pane 1's eps moves recolour both panes (pane 2's colours are matched to pane 1's clusters);
 * - t-SNE on CC GENERAL: choice -> first frame on the plot, -> first optimised frame, long tasks while it runs,
 *   k slider recolours while it runs;
 * - 100,000 generated rows: upload to first coloured scatter (BENCH_UPLOADS pages, 3 by default), k slider recolours;
 *   t-SNE first frame at 100k.
 * The machine is shared (2 cores, other engineers' jobs): figures vary run to run; compare medians of several runs.
 */
import type { Page } from 'playwright-core';
import { startApp, waitForClusters, type App } from '../test/e2e/harness.ts';
import { HAVE_SHARED, sharedPath } from '../test/helpers/shared.ts';
import { makeCsv100k } from './mixture_csv.ts';

const ONLY = new Set((process.env.BENCH_ONLY ?? 'cold,k,eps,tsne,100k,tsne100k').split(',').map((s) => s.trim()));
const q = (a: number[], p: number) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
};
const rows: string[] = [];
const row = (what: string, a: number[], note = '') =>
  rows.push(`| ${what} | ${q(a, 0.5).toFixed(1)} ms | ${q(a, 0.95).toFixed(1)} ms | n=${a.length}${note ? `; ${note}` : ''} |`);
const one = (what: string, ms: number | string, note = '') => rows.push(`| ${what} | ${typeof ms === 'number' ? `${ms.toFixed(0)} ms` : ms} | | ${note} |`);

async function observe(page: Page) {
  await page.evaluate(() => {
    const w = window as any;
    w.__lt = [];
    w.__ev = [];
    w.__obs?.forEach((o: PerformanceObserver) => o.disconnect());
    w.__ltAt = [];
    const a = new PerformanceObserver((l) => l.getEntries().forEach((e) => (w.__lt.push(e.duration), w.__ltAt.push(e.startTime))));
    a.observe({ type: 'longtask' });
    const b = new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__ev.push(e.duration)));
    b.observe({ type: 'event', durationThreshold: 16 } as any);
    w.__obs = [a, b];
    performance.clearMeasures('recolour');
    performance.clearMeasures('recolour-drawn');
    w.__hits0 = w.__clustertune.panes.map((p: any) => p.lookahead.hits);
  });
}

interface Rec {
  d: number;
  ch: string;
  sent?: number;
  answer?: number;
  worker?: number;
}
async function collect(page: Page) {
  return page.evaluate(() => ({
    recolour: performance.getEntriesByName('recolour').map((e: any) => ({ ...e.detail, d: e.duration, ch: e.detail?.channel })) as Rec[],
    drawn: performance.getEntriesByName('recolour-drawn').map((e: any) => ({ d: e.duration, ch: e.detail?.channel })) as Rec[],
    hits: (window as any).__clustertune.panes.map((p: any, i: number) => p.lookahead.hits - ((window as any).__hits0[i] ?? 0)) as number[],
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

function recolourRows(what: string, recs: Rec[], drawn: Rec[] = [], hits: number[] = []) {
  for (const ch of [...new Set(recs.map((r) => r.ch))].sort()) {
    const mine = recs.filter((r) => r.ch === ch);
    const pane = Number(ch.replace('pane', '')) - 1;
    row(`${what}: input → colours committed (${ch})`, mine.map((r) => r.d), hits[pane] ? `${hits[pane]} answered from the lookahead table` : '');
    const d = drawn.filter((r) => r.ch === ch);
    if (d.length) row(`${what}: input → draw issued (layer: at once; WebGL: after the next frame) (${ch})`, d.map((r) => r.d));
    const own = mine.filter((r) => r.answer !== undefined);
    if (own.length) {
      const f = (a: number[]) => `${q(a, 0.5).toFixed(1)} / ${q(a, 0.95).toFixed(1)}`;
      rows.push(
        `| ${what} (${ch}) split, median / p95 ms | input→posted ${f(own.map((r) => r.sent!))} | worker ${f(own.map((r) => r.worker!))} | ` +
          `posted→answer ${f(own.map((r) => r.answer! - r.sent!))}; answer→committed ${f(own.map((r) => r.d - r.answer!))} |`,
      );
    }
  }
}

async function sliderRun(page: Page, what: string, label: string, within?: string, moves = 50) {
  await observe(page);
  await moveSlider(page, label, moves, within);
  const m = await collect(page);
  recolourRows(what, m.recolour, m.drawn, m.hits);
  rows.push(`| ${what}: long tasks (> 50 ms) during ${moves} moves | ${m.longtasks.length} | max ${m.longtasks.length ? Math.max(...m.longtasks).toFixed(0) : 0} ms | |`);
  if (m.events.length) row(`${what}: Event Timing, key press → next paint (≥ 16 ms only)`, m.events);
}

/**
 * Uploads a file and times, from the upload: the prepared data in the page (parse, summaries, preprocessing, PCA in
 * the data worker), the scatter holding every point (its first draw, grey until the first fit answers), and the first
 * coloured scatter. Timestamps are taken in the page (a poll every frame).
 */
async function uploadAndWait(page: Page, path: string, n?: number) {
  await page.evaluate(`(() => {
    const w = window;
    const t0 = performance.now();
    w.__up = { ready: null, drawn: null, t0, change: null };
    // when the page got the file (Playwright's setInputFiles first hands the page the file's bytes, in main-thread
    // tasks that queue behind the page's own; a user's pick gives it a reference)
    document.querySelector('input[aria-label="Upload data"]').addEventListener('change', (e) => { w.__up.change = e.timeStamp - t0; }, { capture: true, once: true });
    const poll = () => {
      const p = w.__clustertune.dataset.prepared;
      const ok = p && w.__clustertune.dataset.table?.source === 'file' && (${n ?? 'null'} === null || p.n_samples === ${n ?? 'null'});
      if (ok && w.__up.ready === null) w.__up.ready = performance.now() - t0;
      const gd = document.querySelector('.scatter .js-plotly-plot');
      // on screen: in the point layer over the plot (Plotly's WebGL points are hidden), else in Plotly's figure (3-D)
      const layer = gd && gd.querySelector('canvas.motion-layer');
      const shown = layer && layer.__layer && layer.__layer.drawn ? layer.__layer.drawn.frame.x : gd && gd.data && gd.data[0] && gd.data[0].x;
      if (ok && w.__up.drawn === null && shown && shown.length === p.n_samples) w.__up.drawn = performance.now() - t0;
      if (w.__up.drawn === null) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  })()`);
  const t0 = Date.now();
  await page.getByLabel('Upload data').setInputFiles(path);
  await page.waitForFunction(() => (globalThis as any).__clustertune.dataset.table?.source === 'file', null, { timeout: 600_000, polling: 20 });
  await waitForClusters(page, 600_000);
  const coloured = Date.now() - t0;
  const up = (await page.evaluate('window.__up')) as { ready: number | null; drawn: number | null; change: number | null };
  return { coloured, ready: up.ready, drawn: up.drawn, change: up.change };
}

/**
 * Chooses t-SNE and times (from the choice) the first layout on the plot and the first optimised one (iteration > 0),
 * with long tasks over `watchMs` of the run; then moves the k slider while it runs.
 */
async function tsneRun(page: Page, what: string, watchMs: number, kMoves = 10) {
  await observe(page);
  // a string: tsx would wrap named inner functions in a helper the page does not have
  await page.evaluate(`(() => {
    const w = window;
    w.__tsne = { first: null, optimised: null, t0: performance.now() };
    // the run starts at the choice (the select's change event), not when this script asked for it
    document.querySelector('#embedding-kind')?.addEventListener('change', () => { w.__tsne.chosen = performance.now(); }, { capture: true, once: true });
    const gd = document.querySelector('.scatter .js-plotly-plot');
    const poll = () => {
      const l = w.__clustertune.view.stream.layout;
      const c = gd && gd.querySelector('canvas.motion-layer');
      const drawn = c && c.__layer ? c.__layer.drawn : null;
      const x0 = drawn ? drawn.frame.x[0] : gd && gd.data && gd.data[0] ? gd.data[0].x[0] : undefined;
      // on the plot: the motion layer (or, once stopped, the figure) holds the layout's first x coordinate
      if (l && l.method === 'TSNE' && x0 === l.coords[0]) {
        if (w.__tsne.first === null) w.__tsne.first = performance.now() - w.__tsne.t0;
        if (w.__tsne.optimised === null && l.iteration > 0) w.__tsne.optimised = performance.now() - w.__tsne.t0;
      }
      if (w.__tsne.optimised === null) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  })()`);
  await page.getByLabel('embedding', { exact: true }).selectOption('tsne');
  await page.waitForFunction(() => (window as any).__tsne.optimised !== null, null, { timeout: 600_000, polling: 50 });
  const t = await page.evaluate(() => (window as any).__tsne);
  // times from the choice itself (Playwright's selectOption acts some 50-150 ms after it is called)
  const chosenAt = t.chosen !== undefined ? t.chosen - t.t0 : 0;
  one(`${what}: choose t-SNE → first layout on the plot`, t.first - chosenAt, 'frame 0 = the PCA initialisation');
  one(`${what}: choose t-SNE → first optimised frame on the plot`, t.optimised - chosenAt, 'after kNN + affinities');
  await page.waitForTimeout(watchMs);
  const m = await collect(page);
  // long tasks of the run: those that end after the choice (one that began before it and delayed it counts; the ones
  // over before it, still in the observed window, are the page's own)
  const since = await page.evaluate(() => {
    const w = window as any;
    const chosen = w.__tsne.chosen ?? w.__tsne.t0;
    return { chosen: chosen - w.__tsne.t0, keep: (w.__ltAt as number[]).map((at, i) => at + w.__lt[i] > chosen) };
  });
  const before = m.longtasks.filter((_, i) => !since.keep[i]);
  m.longtasks = m.longtasks.filter((_, i) => since.keep[i]);
  const st = await page.evaluate(() => {
    const s = (window as any).__clustertune.view.stream;
    return { frames: s.frames, iteration: s.layout?.iteration ?? 0, running: s.running };
  });
  rows.push(
    `| ${what}: long tasks (> 50 ms) over the first ${((t.optimised - chosenAt + watchMs) / 1000).toFixed(0)} s of the run | ${m.longtasks.length} | max ${
      m.longtasks.length ? Math.max(...m.longtasks).toFixed(0) : 0
    } ms | ${st.frames} frames, iteration ${st.iteration}${before.length ? `; before the choice (${since.chosen.toFixed(0)} ms after the observer started): ${before.length}, max ${Math.max(...before).toFixed(0)} ms` : ''} |`,
  );
  if (kMoves && (await page.getByLabel('n_clusters', { exact: true }).count())) {
    await observe(page);
    await moveSlider(page, 'n_clusters', kMoves);
    const k = await collect(page);
    recolourRows(`${what}, k slider while it runs`, k.recolour, k.drawn, k.hits);
    rows.push(`| ${what}, k slider while it runs: long tasks (> 50 ms) | ${k.longtasks.length} | max ${k.longtasks.length ? Math.max(...k.longtasks).toFixed(0) : 0} ms | |`);
  }
}

async function main(app: App) {
  if (ONLY.has('cold')) {
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await app.page(1280, 800);
      const t0 = Date.now();
      await page.goto(app.url);
      await waitForClusters(page);
      starts.push(Date.now() - t0);
      await page.context().close();
    }
    row('cold start → first coloured scatter (demo, 8950 points)', starts);
  }

  let page: Page;
  if (ONLY.has('k')) {
    page = await app.page(1280, 800);
    await page.goto(app.url);
    await waitForClusters(page);
    await page.waitForTimeout(2000);
    await sliderRun(page, 'k slider, K-Means, demo 8950', 'n_clusters');
    await page.context().close();
  }

  const what = HAVE_SHARED ? 'CC GENERAL 8950' : 'demo 8950';
  if (ONLY.has('eps')) {
    page = await app.page(1280, 800);
    await page.goto(app.url);
    await waitForClusters(page);
    if (HAVE_SHARED) await uploadAndWait(page, sharedPath('data', 'cc_general.csv'));
    await page.getByLabel('algorithm').first().selectOption('DBSCAN');
    await waitForClusters(page);
    await page.waitForTimeout(2000); // the user reaches for the slider; the eps sweep starts in the background
    await sliderRun(page, `eps slider, DBSCAN, ${what}`, 'eps');
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Add pane' }).click();
    await page.getByRole('region', { name: 'Pane 2' }).getByLabel('algorithm').selectOption('KMeans');
    await page.waitForTimeout(2000);
    await sliderRun(page, `eps slider, DBSCAN, ${what}, 2 panes (pane 1 moves)`, 'eps', 'Pane 1');
    await page.context().close();
  }

  if (ONLY.has('tsne')) {
    page = await app.page(1280, 800);
    await page.goto(app.url);
    await waitForClusters(page);
    if (HAVE_SHARED) await uploadAndWait(page, sharedPath('data', 'cc_general.csv'));
    await page.waitForTimeout(1500);
    await tsneRun(page, `t-SNE, ${what}`, 8000);
    await page.context().close();
  }

  const csv = ONLY.has('100k') || ONLY.has('tsne100k') ? makeCsv100k() : '';
  // each upload on its own page, BENCH_UPLOADS of them (the median shown, every run in the note); the last page of the
  // uploads right after opening goes on with the k slider and t-SNE at 100k
  const uploads = Number(process.env.BENCH_UPLOADS ?? 3);
  type Upload = Awaited<ReturnType<typeof uploadAndWait>>;
  const uploadRows = (what: string, ups: Upload[], f: (u: Upload) => number, note = '') => {
    const v = ups.map(f);
    one(what, q(v, 0.5), `n=${v.length}: ${v.map((x) => x.toFixed(0)).join(', ')} ms${note ? `; ${note}` : ''}`);
  };
  const changeNote = (ups: Upload[]) => `the change event ${ups.map((u) => (u.change ?? NaN).toFixed(0)).join(', ')} ms after the upload began`;
  if (ONLY.has('100k')) {
    // the upload on a page that has settled (its start-up sweeps and lookahead done), as when a user opens the app and
    // then picks a file
    const ups: Upload[] = [];
    for (let i = 0; i < uploads; i++) {
      page = await app.page(1280, 800);
      await page.goto(app.url);
      await waitForClusters(page);
      await page.waitForTimeout(15_000);
      ups.push(await uploadAndWait(page, csv, 100_000));
      await page.context().close();
    }
    uploadRows('100,000 × 17 upload on a settled page (15 s after it opened) → data prepared', ups, (u) => u.ready ?? NaN);
    uploadRows('100,000 × 17 upload on a settled page → the 100,000 points on screen (first draw)', ups, (u) => u.drawn ?? NaN);
    uploadRows('100,000 × 17 on a settled page: the file input\'s change event → the points on screen', ups, (u) => (u.drawn ?? NaN) - (u.change ?? NaN), changeNote(ups));
    uploadRows('100,000 × 17 upload on a settled page → first coloured scatter', ups, (u) => u.coloured);
  }

  if (ONLY.has('100k') || ONLY.has('tsne100k')) {
    const ups: Upload[] = [];
    const openAndUpload = async () => {
      const p = await app.page(1280, 800);
      await p.goto(app.url);
      await waitForClusters(p);
      ups.push(await uploadAndWait(p, csv, 100_000));
      return p;
    };
    page = await openAndUpload();
    for (let i = 1; i < (ONLY.has('100k') ? uploads : 1); i++) {
      await page.context().close();
      page = await openAndUpload();
    }
    uploadRows('100,000 × 17 CSV (12.8 MB) upload right after the page opened → data prepared (data worker: parse, summaries, preprocessing, PCA)', ups, (u) => u.ready ?? NaN);
    uploadRows('100,000 × 17 upload → the 100,000 points on screen (first draw)', ups, (u) => u.drawn ?? NaN, 'grey until the first fit answers');
    uploadRows('100,000 × 17: data prepared → the 100,000 points on screen', ups, (u) => (u.drawn ?? NaN) - (u.ready ?? NaN));
    uploadRows('100,000 × 17 right after opening: the file input\'s change event → the points on screen', ups, (u) => (u.drawn ?? NaN) - (u.change ?? NaN), changeNote(ups));
    uploadRows('100,000 × 17 upload → first coloured scatter (K-Means k=4)', ups, (u) => u.coloured);
    if (ONLY.has('100k')) {
      await page.waitForTimeout(3000);
      await sliderRun(page, '100,000: k slider', 'n_clusters', undefined, 10);
    }
    if (ONLY.has('tsne100k')) {
      await tsneRun(page, 't-SNE, 100,000 × 17', 10_000, 0);
      const mem = await page.evaluate(() => (performance as any).memory?.usedJSHeapSize ?? null);
      if (mem) one('100,000: main-thread JS heap during t-SNE', `${(mem / 2 ** 20).toFixed(0)} MB`);
    }
    await page.context().close();
  }
}

const app = await startApp();
try {
  await main(app);
} finally {
  await app.close();
}
console.log(['| browser measure | median | p95 | note |', '|---|---:|---:|---|', ...rows].join('\n'));
