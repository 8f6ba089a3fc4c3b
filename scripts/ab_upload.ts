/**
 * A/B of two builds of the app on the 100,000 x 17 upload: DIST_A and DIST_B are the two builds' output directories
 * (e.g. `git worktree add /tmp/wt-old <commit>`, then `npx vite build --outDir /tmp/dist-old` there); ROUNDS rounds, the
 * builds alternated, a page each; OPEN=1 uploads right after the demo is shown, else 3 s later. Prints, from the file
 * input's change event: data prepared, points on screen, coloured (an upper bound: polled from outside). Swaps dist/
 * (restored to DIST_B at the end). CSV: the bench's (bench/mixture_csv.ts), or CSV=path. Run: npx tsx scripts/ab_upload.ts
 */
import { cpSync, rmSync } from 'node:fs';
import { startApp, waitForClusters } from '../test/e2e/harness.ts';
import { makeCsv100k } from '../bench/mixture_csv.ts';
const builds = [process.env.DIST_A ?? '/tmp/dist-old', process.env.DIST_B ?? '/tmp/dist-new'];
const csv = process.env.CSV ?? makeCsv100k();
const res: Record<string, number[][]> = { [builds[0]]: [], [builds[1]]: [] };
for (let round = 0; round < Number(process.env.ROUNDS ?? 4); round++) {
  for (const b of round % 2 ? [...builds].reverse() : builds) {
    rmSync('dist', { recursive: true, force: true });
    cpSync(b, 'dist', { recursive: true });
    const app = await startApp();
    const page = await app.page(1280, 800);
    await page.goto(app.url);
    await waitForClusters(page);
    if (!process.env.OPEN) await page.waitForTimeout(3000);
    await page.evaluate(`(() => {
      const w = window; w.__up = { ready: null, drawn: null, change: null }; document.querySelector('input[aria-label="Upload data"]').addEventListener('change', (e) => { w.__up.change = e.timeStamp; }, { capture: true, once: true });
      const poll = () => {
        const p = w.__clustertune.dataset.prepared;
        const ok = p && w.__clustertune.dataset.table?.source === 'file' && p.n_samples === 100000;
        if (ok && w.__up.ready === null) w.__up.ready = performance.now();
        const gd = document.querySelector('.scatter .js-plotly-plot');
        const layer = gd && gd.querySelector('canvas.motion-layer');
        const shown = layer && layer.__layer && layer.__layer.drawn ? layer.__layer.drawn.frame.x : gd && gd.data && gd.data[0] && gd.data[0].x;
        if (ok && w.__up.drawn === null && shown && shown.length === p.n_samples) w.__up.drawn = performance.now();
        if (w.__up.drawn === null) requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    })()`);
    await page.getByLabel('Upload data').setInputFiles(csv);
    await page.waitForFunction(() => (globalThis as any).__clustertune.dataset.table?.source === 'file', null, { timeout: 600_000, polling: 20 });
    await waitForClusters(page, 600_000);
    const coloured = (await page.evaluate('performance.now()')) as number;
    const up = (await page.evaluate('window.__up')) as any;
    const r = [up.ready - up.change, up.drawn - up.change, coloured - up.change];
    res[b].push(r);
    console.log(b, r.map((x) => x.toFixed(0)).join(' '));
    await app.close();
  }
}
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const b of builds) console.log(b, 'median change→ready', med(res[b].map((r) => r[0])).toFixed(0), 'change→drawn', med(res[b].map((r) => r[1])).toFixed(0), 'change→coloured (upper bound)', med(res[b].map((r) => r[2])).toFixed(0));
rmSync('dist', { recursive: true, force: true });
cpSync(builds[1], 'dist', { recursive: true });
