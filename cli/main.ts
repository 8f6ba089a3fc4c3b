/**
 * ClusterTune on the command line: the same engines and the same configuration file as the app.
 *   npm run cli -- cluster --data FILE.csv --config CONFIG.json --out OUT.csv [--save-config FITTED.json]
 *   npm run cli -- predict --config FITTED.json --data NEW.csv --out OUT.csv
 *   npm run cli -- embed --data FILE.csv --config CONFIG.json --out COORDS.csv
 * A JSON summary goes to standard output; errors to standard error with exit code 1 (2 for usage).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsv } from '../workers/engine/data/csv.ts';
import { parseXlsx } from '../workers/engine/data/xlsx.ts';
import { addDerivedColumns } from '../workers/engine/data/derived.ts';
import { defaultFeatures, summarizeColumns } from '../workers/engine/data/columns.ts';
import { fitPreprocessing, transformTable } from '../workers/engine/data/preprocess.ts';
import { fingerprint } from '../workers/engine/data/fingerprint.ts';
import { datasetMismatch, parseConfig, serializeConfig, type ClusterTuneConfig } from '../workers/engine/config/config.ts';
import { fittedFromConfig, preprocessingConfig, specFromConfig } from '../workers/engine/config/spec.ts';
import { fitEstimator } from '../workers/engine/cluster/estimators.ts';
import { fittedState, predictEstimator } from '../workers/engine/cluster/predict.ts';
import { clusterMetrics } from '../workers/engine/metrics/summary.ts';
import { labelledCsv } from '../workers/services/data_service.ts';
import { fitTSNE, type TSNEParams } from '../workers/engine/manifold/tsne.ts';
import { fitUMAP, type UMAPParams } from '../workers/engine/manifold/umap.ts';
import { fitPCA } from '../workers/engine/decomposition/pca.ts';

const USAGE = `usage:
  npm run cli -- cluster --data FILE.csv --config CONFIG.json --out OUT.csv [--save-config FITTED.json]
  npm run cli -- predict --config FITTED.json --data NEW.csv --out OUT.csv
  npm run cli -- embed --data FILE.csv --config CONFIG.json --out COORDS.csv`;

class UsageError extends Error {}

export function parseArgs(argv: string[]): { command: string; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError(USAGE);
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i];
    if (!k.startsWith('--')) throw new UsageError(`unexpected argument ${k}\n${USAGE}`);
    const v = rest[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${k} needs a value\n${USAGE}`);
    flags[k.slice(2)] = v;
    i++;
  }
  return { command, flags };
}

function need(flags: Record<string, string>, ...names: string[]): void {
  for (const n of names) if (!flags[n]) throw new UsageError(`--${n} is required\n${USAGE}`);
}

/** A CSV (comma, tab or semicolon) or the first sheet of an .xlsx workbook (`FILE.xlsx#Sheet2` for another sheet). */
function readTable(path: string) {
  const m = /^(.*\.xlsx)(?:#(.+))?$/i.exec(path);
  if (m) return parseXlsx(readFileSync(m[1]), basename(m[1]), m[2] ?? null).table;
  return parseCsv(readFileSync(path, 'utf8'), basename(path));
}

function labelColumnName(config: ClusterTuneConfig, i: number): string {
  return config.estimators.length === 1 ? 'cluster' : `cluster_${i + 1}_${config.estimators[i].name}`;
}

export async function cluster(flags: Record<string, string>): Promise<unknown> {
  need(flags, 'data', 'config', 'out');
  const table = readTable(flags.data);
  const config = parseConfig(readFileSync(flags.config, 'utf8'));
  const spec = specFromConfig(config, { columns: table.columns, default_features: defaultFeatures(summarizeColumns(table)) });
  const prep = fitPreprocessing(table, spec);
  const fp = await fingerprint(prep.raw);
  const columns = prep.fitted.columns;
  const mismatch = datasetMismatch(config, { n_samples: prep.X.n_samples, n_features: prep.X.n_features, columns, fingerprint: fp });
  if (mismatch) process.stderr.write(`warning: ${mismatch}\n`);
  const results = config.estimators.map((est) => {
    const t0 = performance.now();
    const r = fitEstimator(prep.X, est);
    const seconds = (performance.now() - t0) / 1000;
    const metrics = clusterMetrics(prep.X, r.labels);
    return { est, r, seconds, metrics };
  });
  // the input rows with their derived columns, then the labels
  const withDerived = addDerivedColumns(table, spec.derived);
  writeFileSync(flags.out, labelledCsv(withDerived, results.map((x, i) => ({ name: labelColumnName(config, i), labels: x.r.labels })), prep.row_index) + '\n');
  if (flags['save-config']) {
    const fitted: ClusterTuneConfig = {
      ...config,
      dataset: { name: table.name, n_samples: prep.X.n_samples, n_features: prep.X.n_features, columns, fingerprint: fp },
      preprocessing: { ...config.preprocessing, ...preprocessingConfig(spec, prep.fitted, table.columns)},
      estimators: results.map(({ est, r }) => ({ ...est, fitted: fittedState(prep.X, est, r) })),
      result: results.map(({ r, metrics }) => ({ n_clusters: r.n_clusters, n_noise: r.n_noise, silhouette: metrics.silhouette })),
    };
    writeFileSync(flags['save-config'], serializeConfig(fitted));
  }
  return {
    data: table.name,
    n_samples: prep.X.n_samples,
    n_features: prep.X.n_features,
    fingerprint: fp,
    out: flags.out,
    estimators: results.map(({ est, r, seconds, metrics }, i) => ({
      name: est.name,
      params: est.params,
      column: labelColumnName(config, i),
      n_clusters: r.n_clusters,
      n_noise: r.n_noise,
      inertia: r.inertia,
      bic: r.bic,
      silhouette: metrics.silhouette,
      davies_bouldin: metrics.davies_bouldin,
      calinski_harabasz: metrics.calinski_harabasz,
      seconds,
    })),
  };
}

export async function predict(flags: Record<string, string>): Promise<unknown> {
  need(flags, 'data', 'config', 'out');
  const config = parseConfig(readFileSync(flags.config, 'utf8'));
  const fittedPre = fittedFromConfig(config);
  if (!fittedPre) throw new Error(`${flags.config} has no fitted preprocessing: make it with \`cluster --save-config\``);
  const table = readTable(flags.data);
  const { X, table: withDerived } = transformTable(fittedPre, table);
  const t0 = performance.now();
  const preds = config.estimators.map((est, i) => {
    const fitted = (est as { fitted?: Record<string, unknown> }).fitted;
    if (!fitted) throw new Error(`estimators[${i}] (${est.name}) has no fitted state: make the configuration with \`cluster --save-config\``);
    return predictEstimator(est, fitted, X);
  });
  const rowIndex = Int32Array.from({ length: table.n_rows }, (_, i) => i);
  writeFileSync(flags.out, labelledCsv(withDerived, preds.map((p, i) => ({ name: labelColumnName(config, i), labels: p.labels })), rowIndex) + '\n');
  return {
    data: table.name,
    n_samples: table.n_rows,
    out: flags.out,
    seconds: (performance.now() - t0) / 1000,
    estimators: preds.map((p, i) => {
      const counts: Record<string, number> = {};
      for (const l of p.labels) counts[l] = (counts[l] ?? 0) + 1;
      return { name: config.estimators[i].name, column: labelColumnName(config, i), counts };
    }),
  };
}

/** The configuration's `embedding` on FILE: one row of coordinates per input row (empty for rows preprocessing dropped). */
export async function embed(flags: Record<string, string>): Promise<unknown> {
  need(flags, 'data', 'config', 'out');
  const table = readTable(flags.data);
  const config = parseConfig(readFileSync(flags.config, 'utf8'));
  if (!config.embedding) throw new Error(`${flags.config} has no "embedding": add one like {"name": "TSNE", "params": {"perplexity": 30}}`);
  const spec = specFromConfig(config, { columns: table.columns, default_features: defaultFeatures(summarizeColumns(table)) });
  const prep = fitPreprocessing(table, spec);
  const { name, params } = config.embedding;
  const t0 = performance.now();
  let coords: Float64Array;
  let extra: Record<string, unknown>;
  if (name === 'TSNE') {
    const r = fitTSNE(prep.X, params as TSNEParams);
    coords = r.embedding;
    extra = { kl_divergence: r.kl_divergence, n_iter: r.n_iter, iterations: r.n_iter + 1 };
  } else if (name === 'UMAP') {
    const r = fitUMAP(prep.X, params as UMAPParams);
    coords = r.embedding;
    extra = { kl_divergence: null, iterations: r.n_epochs };
  } else {
    const r = fitPCA(prep.X, { n_components: (params.n_components as number | undefined) ?? 2 });
    coords = r.transformed;
    extra = { kl_divergence: null, iterations: null, explained_variance_ratio: Array.from(r.explained_variance_ratio) };
  }
  const seconds = (performance.now() - t0) / 1000;
  const n = prep.X.n_samples;
  const dims = coords.length / Math.max(1, n);
  const prefix = { TSNE: 'tsne', UMAP: 'umap', PCA: 'pc' }[name];
  const lines = new Array<string>(table.n_rows).fill(new Array(dims).fill('').join(','));
  for (let i = 0; i < n; i++) lines[prep.row_index[i]] = Array.from(coords.subarray(i * dims, (i + 1) * dims), String).join(',');
  const header = Array.from({ length: dims }, (_, a) => `${prefix}_${a + 1}`).join(',');
  writeFileSync(flags.out, [header, ...lines].join('\n') + '\n');
  return { data: table.name, n_samples: n, n_features: prep.X.n_features, out: flags.out, embedding: { name, params }, n_components: dims, ...extra, seconds };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { command, flags } = parseArgs(argv);
    const commands: Record<string, (f: Record<string, string>) => Promise<unknown>> = { cluster, predict, embed };
    const run = commands[command];
    if (!run) throw new UsageError(`unknown command ${command}\n${USAGE}`);
    process.stdout.write(JSON.stringify(await run(flags), null, 2) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(e.message + '\n');
      return 2;
    }
    const field = (e as any)?.field ?? (e as any)?.param;
    process.stderr.write(`error: ${(e as Error).message}${field ? ` (${field})` : ''}\n`);
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]main\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
