/**
 * Screenshots of the built app as a user sees it: `npx tsx scripts/screenshot.ts` (after `npm run build`).
 * env: W, H (viewport), OUT (file), TAB (a tab's label to open first), PANES (panes to add), ALGO (pane 2 algorithm)
 */
import { startApp, waitForClusters } from '../test/e2e/harness.ts';

const app = await startApp();
try {
  const page = await app.page(Number(process.env.W ?? 1280), Number(process.env.H ?? 800));
  const t0 = Date.now();
  await page.goto(app.url);
  await waitForClusters(page);
  console.log('first scatter after', Date.now() - t0, 'ms');
  if (process.env.TAB) await page.getByRole('tab', { name: process.env.TAB }).click();
  for (let i = 0; i < Number(process.env.PANES ?? 0); i++) await page.getByRole('button', { name: 'Add pane' }).click();
  await page.waitForTimeout(Number(process.env.WAIT ?? 2500));
  await page.screenshot({ path: process.env.OUT ?? '/tmp/shot.png' });
} finally {
  await app.close();
}
