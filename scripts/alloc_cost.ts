/**
 * What a fresh 13.6 MB typed array (100,000 x 17 float64) costs in a Chromium worker on this machine, against a copy
 * into an array already touched, and the same in Node (ms per call). Run: npx tsx scripts/alloc_cost.ts
 */
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/e2e/harness.ts';

const code = `
const n = 1.7e6; const t = (f) => { const s = performance.now(); f(); return +(performance.now() - s).toFixed(1); };
const src = new Float64Array(n); for (let i = 0; i < n; i++) src[i] = i * 0.5;
const out = { 'slice()': [], 'new + set': [], 'set into a touched array': [], 'slice(), the last one freed': [] };
const keep = [];
for (let r = 0; r < 5; r++) out['slice()'].push(t(() => keep.push(src.slice())));
for (let r = 0; r < 5; r++) out['new + set'].push(t(() => { const a = new Float64Array(n); a.set(src); keep.push(a); }));
const b = new Float64Array(n); b.set(src);
for (let r = 0; r < 5; r++) out['set into a touched array'].push(t(() => b.set(src)));
keep.length = 0;
for (let r = 0; r < 5; r++) out['slice(), the last one freed'].push(t(() => { const a = src.slice(); out.x = a[5]; }));
delete out.x;
`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const page = await browser.newPage();
const inWorker = await page.evaluate(async (code) => {
  const w = new Worker(URL.createObjectURL(new Blob([code + 'postMessage(out);'], { type: 'text/javascript' })));
  return await new Promise((resolve) => (w.onmessage = (e) => resolve(e.data)));
}, code);
await browser.close();
const inNode = new Function(code + 'return out;')();
for (const [where, r] of [['Chromium worker', inWorker], ['Node', inNode]] as const) {
  for (const [k, v] of Object.entries(r as Record<string, number[]>)) console.log(`${where}, ${k}: ${v.join(', ')} ms`);
}
