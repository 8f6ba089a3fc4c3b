/**
 * How long a worker busy in JavaScript runs on after Worker.terminate(), in Debian's Chromium (traced: the worker
 * thread's last task). Two workers, each asked for 3 s of work and terminated 300 ms in: one in a single loop, one
 * returning to its event loop every ~20 ms (as workers/engine/util/steps.ts lets long jobs do).
 * Run: npx tsx scripts/worker_terminate.ts
 */
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/e2e/harness.ts';

const WORKERS = {
  'one loop': `onmessage = () => { const t = performance.now(); let s = 0; while (performance.now() - t < 3000) s += Math.sqrt(s + 1); postMessage(s); };`,
  'yields every 20 ms': `const next = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => { c.port1.close(); r(); }; c.port2.postMessage(0); });
    onmessage = async () => { const t = performance.now(); let s = 0, slice = t; while (performance.now() - t < 3000) { s += Math.sqrt(s + 1); if (performance.now() - slice > 20) { await next(); slice = performance.now(); } } postMessage(s); };`,
};

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
for (const [name, code] of Object.entries(WORKERS)) {
  const page = await browser.newPage();
  await page.goto('data:text/html,<title>terminate</title>');
  const cdp = await page.context().newCDPSession(page);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (d: any) => events.push(...d.value));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'blink.user_timing'] }, transferMode: 'ReportEvents' } as any);
  await page.evaluate(async (code) => {
    const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    w.postMessage(0);
    await new Promise((r) => setTimeout(r, 300));
    performance.mark('terminate');
    w.terminate();
    await new Promise((r) => setTimeout(r, 3500));
  }, code);
  await cdp.send('Tracing.end');
  await done;
  const names = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const mark = events.find((e) => e.name === 'terminate');
  const ends = events
    .filter((e) => e.ph === 'X' && (names.get(`${e.pid}:${e.tid}`) ?? '').startsWith('DedicatedWorker'))
    .map((e) => (e.ts + e.dur - mark.ts) / 1000);
  console.log(`${name}: the worker's last task ended ${Math.max(...ends).toFixed(0)} ms after terminate()`);
  await page.close();
}
await browser.close();
