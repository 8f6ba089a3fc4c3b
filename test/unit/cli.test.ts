/**
 * The command line: `cluster` writes the rows with a label column and a JSON summary; `--save-config` writes a
 * configuration that `predict` applies to new rows; errors go to standard error with a non-zero exit code.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { main } from '../../cli/main.ts';
import { builtinDataset } from '../../workers/engine/data/datasets.ts';
import { HAVE_SHARED, oracle, sharedPath } from '../helpers/shared.ts';
import { adjustedRandScore } from '../../workers/engine/metrics/contingency.ts';
import { fitPreprocessing } from '../../workers/engine/data/preprocess.ts';
import { fitTSNE } from '../../workers/engine/manifold/tsne.ts';

let dir: string;
let out: string[] = [];
let err: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clustertune-cli-'));
  const t = builtinDataset('blobs');
  const rows = Array.from({ length: t.n_rows }, (_, i) => t.columns.map((_, j) => t.cells[j][i]));
  writeFileSync(join(dir, 'blobs.csv'), Papa.unparse({ fields: t.columns, data: rows }));
  vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => (err.push(String(s)), true));
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  out = [];
  err = [];
  const code = await main(args);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function config(estimators: unknown[], extra: Record<string, unknown> = {}): string {
  const p = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ format: 'clustertune-config', version: 1, preprocessing: { impute: 'median', scaler: 'standard' }, estimators, ...extra }));
  return p;
}

function labelsOf(csv: string, column: string): number[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(csv, 'utf8').trim(), { header: true });
  return parsed.data.map((r) => Number(r[column]));
}

describe('npm run cli -- cluster / predict', () => {
  it('clusters with every estimator of the configuration and prints a summary', async () => {
    const cfg = config([
      { name: 'KMeans', params: { n_clusters: 3, random_state: 0 } },
      { name: 'DBSCAN', params: { eps: 0.3, min_samples: 5 } },
    ]);
    const outCsv = join(dir, 'out.csv');
    const r = await run('cluster', '--data', join(dir, 'blobs.csv'), '--config', cfg, '--out', outCsv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.n_samples).toBe(500);
    expect(summary.estimators.map((e: any) => e.name)).toEqual(['KMeans', 'DBSCAN']);
    expect(summary.estimators[0].n_clusters).toBe(3);
    expect(summary.estimators[0].silhouette).toBeGreaterThan(0.5);
    expect(summary.estimators[0].seconds).toBeGreaterThanOrEqual(0);
    const header = readFileSync(outCsv, 'utf8').split('\n')[0];
    expect(header).toBe('x,y,cluster_1_KMeans,cluster_2_DBSCAN');
    expect(new Set(labelsOf(outCsv, 'cluster_1_KMeans'))).toEqual(new Set([0, 1, 2]));
  });

  it('--save-config then predict: training rows score to their own labels', async () => {
    for (const est of [
      { name: 'KMeans', params: { n_clusters: 3, random_state: 0 } },
      { name: 'GaussianMixture', params: { n_components: 3, random_state: 0 } },
      { name: 'DBSCAN', params: { eps: 0.3, min_samples: 5 } },
      { name: 'AgglomerativeClustering', params: { n_clusters: 3, linkage: 'ward' } },
    ]) {
      const fitted = join(dir, `fitted-${est.name}.json`);
      const trainOut = join(dir, `train-${est.name}.csv`);
      const r = await run('cluster', '--data', join(dir, 'blobs.csv'), '--config', config([est]), '--out', trainOut, '--save-config', fitted);
      expect(r.code, r.stderr).toBe(0);
      const saved = JSON.parse(readFileSync(fitted, 'utf8'));
      expect(saved.preprocessing.fitted.center.length).toBe(2);
      expect(saved.estimators[0].fitted).toBeTypeOf('object');
      const predOut = join(dir, `pred-${est.name}.csv`);
      const p = await run('predict', '--config', fitted, '--data', join(dir, 'blobs.csv'), '--out', predOut);
      expect(p.code, p.stderr).toBe(0);
      const train = labelsOf(trainOut, 'cluster');
      const pred = labelsOf(predOut, 'cluster');
      if (est.name === 'DBSCAN') {
        // Core points score to their own cluster; border points may take another cluster of a core within eps.
        const core: number[] = saved.estimators[0].fitted.core_labels;
        expect(core.length).toBeGreaterThan(0);
        const agree = train.filter((l, i) => l === pred[i]).length / train.length;
        expect(agree).toBeGreaterThan(0.97);
      } else {
        expect(pred).toEqual(train);
      }
    }
  });

  it('reports a bad configuration, a missing file and bad usage with a non-zero exit code', async () => {
    const bad = config([{ name: 'KMeans', params: { n_clusters: -3 } }]);
    let r = await run('cluster', '--data', join(dir, 'blobs.csv'), '--config', bad, '--out', join(dir, 'x.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/n_clusters/);
    r = await run('cluster', '--data', join(dir, 'nope.csv'), '--config', bad, '--out', join(dir, 'x.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.csv/);
    r = await run('cluster', '--data');
    expect(r.code).toBe(2);
    r = await run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });
});

describe('npm run cli -- embed', () => {
  it('writes one row of t-SNE coordinates per input row and prints KL divergence, iterations and seconds', async () => {
    const params = { n_components: 2, perplexity: 20, max_iter: 300, random_state: 0, init: 'pca' };
    const cfg = config([{ name: 'KMeans', params: { n_clusters: 3 } }], { embedding: { name: 'TSNE', params } });
    const outCsv = join(dir, 'coords.csv');
    const r = await run('embed', '--data', join(dir, 'blobs.csv'), '--config', cfg, '--out', outCsv);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.n_samples).toBe(500);
    expect(summary.embedding).toEqual({ name: 'TSNE', params });
    expect(summary.iterations).toBe(300);
    expect(summary.kl_divergence).toBeGreaterThan(0);
    expect(summary.kl_divergence).toBeLessThan(5);
    expect(summary.seconds).toBeGreaterThan(0);
    const lines = readFileSync(outCsv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('tsne_1,tsne_2');
    expect(lines.length).toBe(501);
    // the same numbers as the engine on the same preprocessing
    const t = builtinDataset('blobs');
    const X = fitPreprocessing(t, { features: t.columns, impute: 'median', log1p: [], scaler: 'standard' }).X;
    const ref = fitTSNE(X, params as any);
    expect(summary.kl_divergence).toBe(ref.kl_divergence);
    expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(Array.from({ length: 500 }, (_, i) => [ref.embedding[2 * i], ref.embedding[2 * i + 1]]));
  });

  it('computes UMAP and PCA too, and explains a configuration without an embedding', async () => {
    const KM = { name: 'KMeans', params: { n_clusters: 3 } };
    const u = join(dir, 'umap.csv');
    let r = await run('embed', '--data', join(dir, 'blobs.csv'), '--config', config([KM], { embedding: { name: 'UMAP', params: { n_neighbors: 10, random_state: 1, n_epochs: 50 } } }), '--out', u);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).iterations).toBe(50);
    expect(readFileSync(u, 'utf8').split('\n')[0]).toBe('umap_1,umap_2');
    const p = join(dir, 'pca.csv');
    r = await run('embed', '--data', join(dir, 'blobs.csv'), '--config', config([KM], { embedding: { name: 'PCA', params: { n_components: 2 } } }), '--out', p);
    expect(r.code, r.stderr).toBe(0);
    const ratio = JSON.parse(r.stdout).explained_variance_ratio;
    expect(ratio[0] + ratio[1]).toBeCloseTo(1, 10);
    expect(readFileSync(p, 'utf8').trim().split('\n').length).toBe(501);
    r = await run('embed', '--data', join(dir, 'blobs.csv'), '--config', config([KM]), '--out', p);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no "embedding"/);
  });
});

describe.skipIf(!HAVE_SHARED)('the CLI on CC GENERAL reproduces scikit-learn', () => {
  it('KMeans with the oracle\'s explicit initial centres gives the oracle\'s labels and inertia', async () => {
    const o = oracle('cc_general');
    const { first_rows_standardized } = o.preprocessing;
    const k = 4;
    const init = first_rows_standardized.slice(0, k);
    expect(init.length).toBe(k);
    const cfg = config([{ name: 'KMeans', params: { n_clusters: k, init, n_init: 1, random_state: 0 } }], {
      preprocessing: { exclude: ['CUST_ID'], impute: 'median', scaler: 'standard' },
    });
    const outCsv = join(dir, 'cc.csv');
    const r = await run('cluster', '--data', sharedPath('data', 'cc_general.csv'), '--config', cfg, '--out', outCsv);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.n_samples).toBe(8950);
    expect(summary.n_features).toBe(17);
    const ref = o.kmeans.fixed_init.find((c: any) => c.n_clusters === k);
    expect(Math.abs(summary.estimators[0].inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-6);
    const got = Int32Array.from(labelsOf(outCsv, 'cluster'));
    expect(adjustedRandScore(got, Int32Array.from(ref.labels))).toBe(1);
  });
});
