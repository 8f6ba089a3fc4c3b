import { startApp, waitForClusters } from '../test/e2e/harness.ts';
const app = await startApp();
const page = await app.page(Number(process.env.W ?? 1280), Number(process.env.H ?? 800));
const t0 = Date.now();
await page.goto(app.url);
await waitForClusters(page);
console.log('first scatter after', Date.now() - t0, 'ms');
await page.waitForTimeout(1500);
await page.screenshot({ path: process.env.OUT ?? '/tmp/shot.png' });
if (process.env.TAB) { await page.getByRole('tab', { name: process.env.TAB }).click(); await page.waitForTimeout(500); await page.screenshot({ path: '/tmp/shot_tab.png' }); }
await app.close();
