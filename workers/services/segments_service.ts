/**
 * The segments worker's state and operations: it holds the prepared matrix and the original-unit rows (one data
 * set at a time, keyed) and answers, for the primary pane's labels, the segment profiles and automatic names, the
 * CART rules with their cross-validated accuracy, the silhouette plot's data, and the scoring of new customers
 * (one row from the form, or a whole CSV). Framework-free: runs in Node too.
 */
import type { Outcome } from '../../src/jobs/protocol.ts';
import type { EstimatorConfig } from '../engine/config/config.ts';
import type { FittedPreprocessing } from '../engine/data/preprocess.ts';
import { inputColumns, transformTable } from '../engine/data/preprocess.ts';
import Papa from 'papaparse';
import { parseCsv, type RawTable } from '../engine/data/csv.ts';
import type { Matrix } from '../engine/types.ts';
import { DataError } from '../engine/errors.ts';
import { profileSegments, type SegmentProfiles } from '../engine/segments/profiles.ts';
import { nameSegments } from '../engine/segments/naming.ts';
import { argsortFeatures, crossValAccuracy, fitDecisionTree, predictTree, treeRules, type CrossValidation, type Rule, type TreeParams } from '../engine/segments/cart.ts';
import { silhouetteGroups, type SilhouetteGroups } from '../engine/segments/silhouette_groups.ts';
import { scoreRows, scoringModel, type ScoringModel } from '../engine/segments/score.ts';
import { outcome } from './outcome.ts';

export interface SegmentData {
  key: string;
  X: Float64Array;
  raw: Float64Array;
  n_samples: number;
  n_features: number;
  features: string[];
  fitted: FittedPreprocessing;
}

export interface ProfileAnswer {
  profile: SegmentProfiles;
  /** Automatic names, in the order of profile.labels. */
  names: string[];
  seconds: number;
}

export interface TreeAnswer {
  rules: Rule[];
  feature_importances_: number[];
  cv: CrossValidation;
  /** Accuracy on the rows it was trained on. */
  train_accuracy: number;
  node_count: number;
  depth: number;
  /** Rows trained on (noise rows are left out). */
  n_samples: number;
  /** Training time of one tree, and of the whole job (tree + cross-validation). */
  fit_seconds: number;
  seconds: number;
}

/** The fit a new customer is scored with: the primary pane's estimator and what it learned. */
export interface ScoringFit {
  /** Identifies the fit (the main thread numbers its results): the worker caches the scoring model by it. */
  id: string;
  estimator: EstimatorConfig;
  labels: Int32Array;
  model: Record<string, unknown>;
}

export interface ScoreAnswer {
  labels: number[];
  probabilities: number[][] | null;
  /** Scatter positions (PCA of the preprocessed rows, first two components). */
  coords: [number, number][];
  /** Preprocessed values of each row (what the estimator saw). */
  X: number[][];
  distance: (number | null)[] | null;
  /** Index into the prepared rows of the nearest training row (agglomerative) or core point (DBSCAN). */
  nearest_row: number[] | null;
}

export interface BatchAnswer {
  csv: string;
  n_rows: number;
  /** Rows per label (noise = -1). */
  counts: Record<number, number>;
  /** Feature columns that had missing cells (imputed as in training), with how many. */
  imputed: Record<string, number>;
}

export class SegmentsService {
  private data: SegmentData | null = null;
  private order: { key: string; labelsSig: string; order: Int32Array } | null = null;
  private scoring: { key: string; id: string; model: ScoringModel } | null = null;

  setData(d: SegmentData): void {
    if (this.data?.key === d.key) return;
    this.data = d;
    this.order = null;
    this.scoring = null;
  }

  hasData(key: string): boolean {
    return this.data?.key === key;
  }

  private get(key: string): SegmentData {
    if (!this.data || this.data.key !== key) throw new DataError('data', 'the segments worker does not hold this data (reload it)');
    return this.data;
  }

  private X(d: SegmentData): Matrix {
    return { data: d.X, n_samples: d.n_samples, n_features: d.n_features };
  }

  profile(key: string, labels: Int32Array): Promise<Outcome<ProfileAnswer>> {
    return outcome(() => {
      const t0 = performance.now();
      const d = this.get(key);
      const profile = profileSegments({ data: d.raw, n_samples: d.n_samples, n_features: d.n_features }, labels, d.features);
      return { profile, names: nameSegments(profile), seconds: (performance.now() - t0) / 1000 };
    });
  }

  /** A CART tree on the segments (noise rows left out), trained on original units (missing cells imputed as in training). */
  tree(key: string, labels: Int32Array, params: TreeParams, n_splits = 5, random_state = 0): Promise<Outcome<TreeAnswer>> {
    return outcome(() => {
      const t0 = performance.now();
      const d = this.get(key);
      const { X, y } = treeInput(d, labels);
      if (y.length < 2) throw new DataError('labels', 'there are fewer than 2 clustered rows: nothing to explain');
      const order = argsortFeatures(X);
      const t1 = performance.now();
      const tree = fitDecisionTree(X, y, params, undefined, order);
      const fit_seconds = (performance.now() - t1) / 1000;
      const pred = predictTree(tree, X);
      let correct = 0;
      for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
      const distinct = new Set(y).size;
      const cv: CrossValidation =
        distinct < 2
          ? { n_splits, scores: [], mean: 1, std: 0 }
          : crossValAccuracy(X, y, params, Math.min(n_splits, y.length), random_state, order);
      return {
        rules: treeRules(tree),
        feature_importances_: Array.from(tree.feature_importances_),
        cv,
        train_accuracy: correct / y.length,
        node_count: tree.node_count,
        depth: tree.max_depth,
        n_samples: y.length,
        fit_seconds,
        seconds: (performance.now() - t0) / 1000,
      };
    });
  }

  silhouette(key: string, labels: Int32Array): Promise<Outcome<SilhouetteGroups>> {
    return outcome(() => silhouetteGroups(this.X(this.get(key)), labels));
  }

  private model(key: string, fit: ScoringFit): ScoringModel {
    const d = this.get(key);
    if (this.scoring && this.scoring.key === key && this.scoring.id === fit.id) return this.scoring.model;
    if (fit.labels.length !== d.n_samples) throw new DataError('labels', `the fit has ${fit.labels.length} labels for ${d.n_samples} rows`);
    const model = scoringModel(this.X(d), d.fitted, fit.estimator, { labels: fit.labels, model: fit.model });
    this.scoring = { key, id: fit.id, model };
    return model;
  }

  /** Scores rows given in original units (n x n_features, row-major; NaN = missing, imputed as in training). */
  score(key: string, fit: ScoringFit, rows: Float64Array, n_rows: number): Promise<Outcome<ScoreAnswer>> {
    return outcome(() => {
      const d = this.get(key);
      if (rows.length !== n_rows * d.n_features) throw new DataError('rows', `expected ${n_rows} x ${d.n_features} values, got ${rows.length}`);
      const s = scoreRows(this.model(key, fit), { data: rows, n_samples: n_rows, n_features: d.n_features }, true);
      const dd = d.n_features;
      const k = s.probabilities ? s.probabilities.length / n_rows : 0;
      return {
        labels: Array.from(s.labels),
        probabilities: s.probabilities ? Array.from({ length: n_rows }, (_, i) => Array.from(s.probabilities!.subarray(i * k, (i + 1) * k))) : null,
        coords: Array.from({ length: n_rows }, (_, i) => [s.coords[i * 2], s.coords[i * 2 + 1]] as [number, number]),
        X: Array.from({ length: n_rows }, (_, i) => Array.from(s.X.subarray(i * dd, (i + 1) * dd))),
        distance: s.distance ? Array.from(s.distance, (v) => (Number.isFinite(v) ? v : null)) : null,
        nearest_row: s.nearest_row ? Array.from(s.nearest_row) : null,
      };
    });
  }

  /**
   * Scores customers given as the model's input columns (inputColumns(fitted): the loaded columns it uses, those
   * derived columns are computed from, one-hot columns as their category text), one row of cells per customer; the
   * derived columns are computed and the categories encoded as in training. '' = missing (imputed as in training;
   * a missing or unseen category is all zeros).
   */
  scoreInput(key: string, fit: ScoringFit, cells: string[][]): Promise<Outcome<ScoreAnswer>> {
    return outcome(async () => {
      const d = this.get(key);
      const columns = inputColumns(d.fitted);
      cells.forEach((r, i) => {
        if (r.length !== columns.length) throw new DataError('rows', `row ${i + 1} has ${r.length} values, expected ${columns.length} (${columns.join(', ')})`);
      });
      const table: RawTable = { name: 'the new customer', columns, cells: columns.map((_, j) => cells.map((r) => r[j])), n_rows: cells.length, delimiter: ',' };
      const { raw } = transformTable(d.fitted, table);
      const o = await this.score(key, fit, raw.data, raw.n_samples);
      if (!o.ok) throw new DataError(o.error.field, o.error.message);
      return o.value;
    });
  }

  /**
   * Scores a CSV of new customers (it must hold the model's input columns, by name; other columns are kept as they
   * are; derived columns are computed and added) and answers it labelled: `cluster` (noise = -1) and
   * `cluster_name`, plus one `probability_<label>` column per Gaussian component.
   */
  scoreCsv(key: string, fit: ScoringFit, text: string, name: string, names: Record<number, string>): Promise<Outcome<BatchAnswer>> {
    return outcome(() => {
      const d = this.get(key);
      const loaded = parseCsv(text, name);
      const need = inputColumns(d.fitted);
      const missingCols = need.filter((c) => !loaded.columns.includes(c));
      // a derived column given as it is stands in for its sources
      const unmet = missingCols.filter((c) => !(d.fitted.derived ?? []).some((x) => x.columns.includes(c) && loaded.columns.includes(x.name)));
      if (unmet.length) {
        throw new DataError(unmet[0], `${name} has no column ${unmet.map((c) => `"${c}"`).join(', ')}: the new customers need every column the model uses (${need.join(', ')})`);
      }
      const { raw, table } = transformTable(d.fitted, loaded);
      const imputed: Record<string, number> = {};
      for (let j = 0; j < d.n_features; j++) {
        let c = 0;
        for (let i = 0; i < raw.n_samples; i++) if (Number.isNaN(raw.data[i * d.n_features + j])) c++;
        if (c) imputed[d.features[j]] = c;
      }
      const s = scoreRows(this.model(key, fit), raw);
      const n = raw.n_samples;
      const counts: Record<number, number> = {};
      for (const l of s.labels) counts[l] = (counts[l] ?? 0) + 1;
      return { csv: scoredCsv(table, s.labels, names, s.probabilities), n_rows: n, counts, imputed };
    });
  }
}

/** The tree's input: original units with missing cells imputed as in training, noise rows left out. */
export function treeInput(d: SegmentData, labels: Int32Array): { X: Matrix; y: Int32Array } {
  const n = d.n_samples;
  const f = d.n_features;
  if (labels.length !== n) throw new DataError('labels', `there are ${labels.length} labels for ${n} rows`);
  let m = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0) m++;
  const data = new Float64Array(m * f);
  const y = new Int32Array(m);
  for (let i = 0, r = 0; i < n; i++) {
    if (labels[i] < 0) continue;
    for (let j = 0; j < f; j++) {
      const v = d.raw[i * f + j];
      data[r * f + j] = Number.isNaN(v) ? d.fitted.impute_values[j] : v;
    }
    y[r++] = labels[i];
  }
  return { X: { data, n_samples: m, n_features: f }, y };
}

/** The table with `cluster`, `cluster_name` (noise: "noise") and, for a Gaussian mixture, `probability_<label>` columns. */
export function scoredCsv(table: RawTable, labels: Int32Array, names: Record<number, string>, probabilities: Float64Array | null): string {
  const n = table.n_rows;
  const k = probabilities ? probabilities.length / Math.max(1, n) : 0;
  const fields = [...table.columns, 'cluster', 'cluster_name', ...Array.from({ length: k }, (_, c) => `probability_${c}`)];
  const data: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    const row = table.columns.map((_, j) => table.cells[j][i]);
    row.push(String(l), l < 0 ? 'noise' : (names[l] ?? `segment ${l}`));
    for (let c = 0; c < k; c++) row.push(String(Number(probabilities![i * k + c].toPrecision(6))));
    data[i] = row;
  }
  return Papa.unparse({ fields, data }, { newline: '\n' });
}
