/**
 * The 100,000 x 17 CSV of the browser bench (12.8 MB): eight Gaussian blobs of different spreads, seeded, written to a
 * temporary directory; answers its path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomState } from '../workers/engine/util/random.ts';

export function makeCsv100k(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clustertune-bench-'));
  const rng = new RandomState(7);
  const d = 17;
  const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, () => rng.normal() * 4));
  const lines = [Array.from({ length: d }, (_, j) => `f${j + 1}`).join(',')];
  for (let i = 0; i < 100_000; i++) {
    const c = centres[i % 8];
    const s = 0.5 + (i % 8) * 0.15;
    lines.push(c.map((m) => (m + rng.normal() * s).toFixed(4)).join(','));
  }
  const path = join(dir, 'mixture_100k.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
