/**
 * `npm run bench [-- --only GROUP[,GROUP]] [--json FILE] [--no-sklearn]`: times every case of bench/cases/*.ts,
 * runs the scikit-learn scripts bench/sklearn/<group>.py with Debian's python3 (when scikit-learn is importable)
 * in the same run, and prints one table: medians, and ratios ours / scikit-learn and ours / baseline library.
 */
import { readdirSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import type { BenchCase } from './types.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const only = arg('only')?.split(',');
const jsonOut = arg('json');
const noSklearn = process.argv.includes('--no-sklearn');

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function findPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

function fmtMs(s: number | undefined): string {
  if (s === undefined) return '–';
  const ms = s * 1000;
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3);
}

async function main() {
  const files = readdirSync(join(HERE, 'cases')).filter((f) => f.endsWith('.ts')).sort();
  const groups = files.map((f) => f.replace(/\.ts$/, '')).filter((g) => !only || only.includes(g));
  const timings = new Map<string, Map<string, number[]>>(); // id -> impl -> seconds
  const groupOf = new Map<string, string>();
  const skipped: string[] = [];
  const py = noSklearn ? null : findPython();
  const sklearnVersion = py ? spawnSync(py, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).stdout.trim() : 'not run';
  // Group by group: our cases, then scikit-learn's script of the same group right after, so that the two sides of a
  // ratio are timed minutes apart at most (the machine is shared; its load drifts).
  for (const g of groups) {
    const mod = await import(pathToFileURL(join(HERE, 'cases', `${g}.ts`)).href);
    const cases: BenchCase[] = mod.cases ?? [];
    for (const c of cases) {
      groupOf.set(c.id, c.group);
      if (c.skip) {
        skipped.push(`${c.id} (${c.impl}): ${c.skip}`);
        continue;
      }
      process.stderr.write(`${c.group} ${c.id} ${c.impl} …`);
      const state = c.setup ? await c.setup() : undefined;
      const runs: number[] = [];
      for (let i = 0; i < (c.repeats ?? 5); i++) {
        const t0 = performance.now();
        await c.run(state);
        runs.push((performance.now() - t0) / 1000);
      }
      process.stderr.write(` ${fmtMs(median(runs))} ms\n`);
      if (!timings.has(c.id)) timings.set(c.id, new Map());
      timings.get(c.id)!.set(c.impl, runs);
    }
    const script = resolve(HERE, 'sklearn', `${g}.py`);
    if (!py || !existsSync(script)) continue;
    process.stderr.write(`scikit-learn ${g} …\n`);
    const r = spawnSync(py, [script], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '2' } });
    if (r.status !== 0) {
      process.stderr.write(`  failed: ${r.stderr.slice(-500)}\n`);
      continue;
    }
    const line = r.stdout.trim().split('\n').pop()!;
    const res = JSON.parse(line) as Record<string, number[]>;
    for (const [id, secs] of Object.entries(res)) {
      if (!timings.has(id)) timings.set(id, new Map());
      timings.get(id)!.set('scikit-learn', secs);
      if (!groupOf.has(id)) groupOf.set(id, g);
    }
  }
  const rows: string[] = [];
  rows.push('| group | case | ours (ms) | scikit-learn (ms) | ours / sklearn | baseline | baseline (ms) | ours / baseline |');
  rows.push('|---|---|---:|---:|---:|---|---:|---:|');
  const out: Record<string, Record<string, { median: number; runs: number[] }>> = {};
  for (const [id, impls] of timings) {
    const ours = impls.get('ours');
    const sk = impls.get('scikit-learn');
    const baselines = [...impls.keys()].filter((k) => k !== 'ours' && k !== 'scikit-learn');
    const m = ours ? median(ours) : undefined;
    const ms = sk ? median(sk) : undefined;
    const ratio = m !== undefined && ms !== undefined ? (m / ms).toFixed(2) : '–';
    const bl = baselines[0];
    const mb = bl ? median(impls.get(bl)!) : undefined;
    const ratioB = m !== undefined && mb !== undefined ? (m / mb).toFixed(3) : '–';
    rows.push(`| ${groupOf.get(id) ?? ''} | ${id} | ${fmtMs(m)} | ${fmtMs(ms)} | ${ratio} | ${bl ?? ''} | ${fmtMs(mb)} | ${ratioB} |`);
    out[id] = Object.fromEntries([...impls].map(([k, v]) => [k, { median: median(v), runs: v }]));
  }
  const header = [
    `ClusterTune bench — ${new Date().toISOString()}`,
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; scikit-learn ${sklearnVersion}${py ? ` (${py})` : ''}`,
    'medians of the timed runs; ratios < 1 mean ours is faster',
    '',
  ];
  console.log([...header, ...rows, ...(skipped.length ? ['', 'skipped:', ...skipped.map((s) => `- ${s}`)] : [])].join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ date: new Date().toISOString(), sklearn: sklearnVersion, results: out }, null, 2));
}

await main();
