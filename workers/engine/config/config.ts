/**
 * The configuration file (../shared/DESIGN.md, "The configuration file"): types, validation and (de)serialisation.
 * Estimator names are scikit-learn class names and params its keyword arguments, so
 * `getattr(sklearn.cluster, name)(**params)` builds the same model. Validation checks everything and names the first
 * bad field by its path ('estimators[0].params.n_clusters'); on success it returns a normalised copy (log1p defaults
 * to [], missing params to {}, AgglomerativeClustering's old `affinity` becomes `metric`) and never mutates the input.
 */
import type { Impute, Scaler } from '../data/preprocess.ts';
import { DERIVED_ARITY, DERIVED_KINDS, type DerivedColumn } from '../data/derived.ts';

export type EstimatorName = 'KMeans' | 'AgglomerativeClustering' | 'DBSCAN' | 'GaussianMixture';
export type EmbeddingName = 'PCA' | 'TSNE' | 'UMAP';

export interface EstimatorConfig {
  name: EstimatorName;
  params: Record<string, unknown>;
  /** What a fit learned that scoring new rows needs (see cluster/predict.ts); written by `cli cluster --save-config`. */
  fitted?: Record<string, unknown>;
}

export interface DatasetInfo {
  name: string;
  n_samples: number;
  n_features: number;
  columns: string[];
  fingerprint: string;
}

export interface ClusterTuneConfig {
  format: 'clustertune-config';
  version: 1;
  dataset?: DatasetInfo;
  preprocessing: {
    exclude?: string[];
    features?: string[];
    impute: Impute;
    log1p: string[];
    scaler: Scaler;
    /** Columns computed before anything else: sum / ratio / age of numeric columns. */
    derived?: DerivedColumn[];
    /** Features encoded one-hot (OneHotEncoder(handle_unknown='ignore')). */
    one_hot?: string[];
    fitted?: { impute_values: number[]; center: number[]; scale: number[]; categories?: Record<string, string[]> };
  };
  estimators: EstimatorConfig[];
  embedding?: { name: EmbeddingName; params: Record<string, unknown> };
  result?: unknown[];
  segments?: unknown;
}

/** A bad configuration. `field` is the path of the first bad field ('file' when the text is not a JSON configuration). */
export class ConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.field = field;
  }
}

/**
 * One allowed parameter: its main type (for a UI control), range, default, allowed values and a one-line help text.
 * `values` are the allowed strings of an enum, or string alternatives of a number (n_init: 'auto').
 */
export interface ParamSpec {
  type: 'int' | 'number' | 'enum' | 'boolean';
  default: unknown;
  /** Lower bound, inclusive unless exclusive_min. */
  min?: number;
  exclusive_min?: boolean;
  /** Upper bound, inclusive. */
  max?: number;
  values?: readonly string[];
  /** null allowed (None in scikit-learn). */
  nullable?: boolean;
  /** An explicit array of rows allowed (KMeans init). */
  array?: boolean;
  help: string;
}

const METRICS = ['euclidean', 'manhattan', 'cosine'] as const;
const RANDOM_STATE: ParamSpec = {
  type: 'int',
  default: null,
  min: 0,
  max: 4294967295,
  nullable: true,
  help: 'Seed for every random choice; the same seed gives the same result (null: a different result each run).',
};

export const ESTIMATOR_NAMES: readonly EstimatorName[] = ['KMeans', 'AgglomerativeClustering', 'DBSCAN', 'GaussianMixture'];
export const EMBEDDING_NAMES: readonly EmbeddingName[] = ['PCA', 'TSNE', 'UMAP'];
export const IMPUTE_VALUES: readonly Impute[] = ['median', 'mean', 'drop'];
export const SCALER_VALUES: readonly Scaler[] = ['standard', 'minmax', 'robust', 'none'];

export const ESTIMATOR_PARAMS: Record<EstimatorName, Record<string, ParamSpec>> = {
  KMeans: {
    n_clusters: { type: 'int', default: 8, min: 1, help: 'Number of clusters (and of centroids) to form.' },
    init: {
      type: 'enum',
      default: 'k-means++',
      values: ['k-means++', 'random'],
      array: true,
      help: "How the first centroids are chosen: 'k-means++' spreads them out, 'random' picks rows at random; or explicit rows.",
    },
    n_init: {
      type: 'int',
      default: 'auto',
      min: 1,
      values: ['auto'],
      help: "Number of runs from different starts; the best (lowest inertia) is kept. 'auto': 1 with k-means++, 10 with random.",
    },
    max_iter: { type: 'int', default: 300, min: 1, help: 'Maximum number of iterations of one run.' },
    tol: { type: 'number', default: 1e-4, min: 0, help: 'Convergence tolerance on the centroid shift, relative to the mean feature variance.' },
    random_state: RANDOM_STATE,
    algorithm: { type: 'enum', default: 'lloyd', values: ['lloyd'], help: "The k-means algorithm: 'lloyd' (assign, then move centroids)." },
  },
  AgglomerativeClustering: {
    n_clusters: {
      type: 'int',
      default: 2,
      min: 1,
      nullable: true,
      help: 'Number of clusters to cut the tree into; null when cutting at a distance_threshold instead.',
    },
    distance_threshold: {
      type: 'number',
      default: null,
      min: 0,
      exclusive_min: true,
      nullable: true,
      help: 'Cut the tree at this merge distance (then n_clusters must be null).',
    },
    linkage: {
      type: 'enum',
      default: 'ward',
      values: ['ward', 'complete', 'average', 'single'],
      help: "Which distance between clusters is minimised when merging: 'ward' (variance), 'complete' (max), 'average', 'single' (min).",
    },
    metric: { type: 'enum', default: 'euclidean', values: METRICS, help: "Distance between rows; 'ward' linkage needs 'euclidean'." },
    compute_full_tree: {
      type: 'boolean',
      default: 'auto',
      values: ['auto'],
      help: "Build the whole tree (true), stop early at n_clusters (false) or decide (auto); must not be false with a distance_threshold.",
    },
  },
  DBSCAN: {
    eps: { type: 'number', default: 0.5, min: 0, exclusive_min: true, help: 'Radius of the neighbourhood: rows closer than eps are neighbours.' },
    min_samples: { type: 'int', default: 5, min: 1, help: 'Neighbours (the row itself included) a row needs within eps to be a core point.' },
    metric: { type: 'enum', default: 'euclidean', values: METRICS, help: 'Distance between rows.' },
  },
  GaussianMixture: {
    n_components: { type: 'int', default: 1, min: 1, help: 'Number of Gaussian components (clusters).' },
    covariance_type: {
      type: 'enum',
      default: 'full',
      values: ['full', 'tied', 'diag', 'spherical'],
      help: "Shape of each component: 'full' (any ellipsoid), 'tied' (one shared), 'diag' (axis-aligned), 'spherical' (round).",
    },
    reg_covar: { type: 'number', default: 1e-6, min: 0, help: 'Added to the covariance diagonals so they stay invertible.' },
    tol: { type: 'number', default: 1e-3, min: 0, help: 'EM stops when the lower bound gains less than this.' },
    max_iter: { type: 'int', default: 100, min: 1, help: 'Maximum number of EM iterations per run.' },
    n_init: { type: 'int', default: 1, min: 1, help: 'Number of runs from different starts; the best is kept.' },
    init_params: {
      type: 'enum',
      default: 'kmeans',
      values: ['kmeans', 'k-means++', 'random'],
      help: "How responsibilities start: from a k-means run ('kmeans'), k-means++ seeds, or at random.",
    },
    random_state: RANDOM_STATE,
  },
};

export const EMBEDDING_PARAMS: Record<EmbeddingName, Record<string, ParamSpec>> = {
  PCA: {
    n_components: { type: 'int', default: 2, min: 1, help: 'Number of principal components kept.' },
    svd_solver: { type: 'enum', default: 'auto', values: ['auto', 'full', 'arpack', 'randomized'], help: 'How the SVD is computed.' },
    whiten: { type: 'boolean', default: false, help: 'Scale the components to unit variance.' },
    random_state: RANDOM_STATE,
  },
  TSNE: {
    n_components: { type: 'int', default: 2, min: 1, max: 3, help: 'Dimensions of the embedding.' },
    perplexity: { type: 'number', default: 30, min: 0, exclusive_min: true, help: 'Roughly the number of neighbours each point keeps close.' },
    early_exaggeration: { type: 'number', default: 12, min: 1, help: 'How tightly clusters are packed during the first iterations.' },
    learning_rate: { type: 'number', default: 'auto', min: 0, exclusive_min: true, values: ['auto'], help: "Step size; 'auto' = max(n / early_exaggeration / 4, 50)." },
    n_iter: { type: 'int', default: 1000, min: 250, help: 'Number of optimisation iterations (scikit-learn >= 1.5 calls it max_iter).' },
    max_iter: { type: 'int', default: 1000, min: 250, help: 'Number of optimisation iterations (the name before scikit-learn 1.5 is n_iter).' },
    metric: { type: 'enum', default: 'euclidean', values: METRICS, help: 'Distance between rows in the input space.' },
    init: { type: 'enum', default: 'pca', values: ['pca', 'random'], help: "Starting layout: the first principal components ('pca') or random." },
    angle: { type: 'number', default: 0.5, min: 0, max: 1, help: 'Barnes-Hut accuracy trade-off: smaller is more exact and slower.' },
    method: { type: 'enum', default: 'barnes_hut', values: ['barnes_hut', 'exact'], help: 'Gradient computation: Barnes-Hut approximation or exact.' },
    random_state: RANDOM_STATE,
  },
  UMAP: {
    n_components: { type: 'int', default: 2, min: 1, help: 'Dimensions of the embedding.' },
    n_neighbors: { type: 'int', default: 15, min: 2, help: 'Size of the local neighbourhood: small keeps local detail, large the global shape.' },
    min_dist: { type: 'number', default: 0.1, min: 0, help: 'How tightly points may be packed together.' },
    spread: { type: 'number', default: 1, min: 0, exclusive_min: true, help: 'Scale of the embedded points.' },
    metric: { type: 'enum', default: 'euclidean', values: METRICS, help: 'Distance between rows in the input space.' },
    n_epochs: { type: 'int', default: null, min: 1, nullable: true, help: 'Number of optimisation epochs (null: chosen from the data size).' },
    learning_rate: { type: 'number', default: 1, min: 0, exclusive_min: true, help: 'Initial step size of the optimisation.' },
    init: { type: 'enum', default: 'spectral', values: ['spectral', 'random'], help: 'Starting layout.' },
    random_state: RANDOM_STATE,
  },
};

/** Old scikit-learn names accepted on import and rewritten to the current one. */
const PARAM_ALIASES: Partial<Record<EstimatorName, Record<string, string>>> = {
  AgglomerativeClustering: { affinity: 'metric' },
};

const FINGERPRINT_RE = /^sha256:[0-9a-f]{64}$/;

// ---------------------------------------------------------------------------------------------------------------
// helpers

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own keys whose value is not undefined (JSON has no undefined; objects built in code may). */
function presentKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

function checkKeys(o: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of presentKeys(o)) {
    if (!allowed.includes(k)) {
      const at = path ? `${path}.${k}` : k;
      throw new ConfigError(at, `${at}: unknown key "${k}"${path ? ` in ${path}` : ''}; expected one of ${allowed.join(', ')}`);
    }
  }
}

function stringArray(v: unknown, path: string, opts: { nonEmptyStrings?: boolean; unique?: boolean } = {}): string[] {
  if (!Array.isArray(v)) throw new ConfigError(path, `${path} must be a list of column names (got ${show(v)})`);
  const seen = new Set<string>();
  v.forEach((s, i) => {
    if (typeof s !== 'string') throw new ConfigError(`${path}[${i}]`, `${path}[${i}] must be a column name (text) (got ${show(s)})`);
    if (opts.nonEmptyStrings && s.trim() === '') throw new ConfigError(`${path}[${i}]`, `${path}[${i}] must not be empty`);
    if (opts.unique && seen.has(s)) throw new ConfigError(`${path}[${i}]`, `${path}[${i}] repeats the column "${s}"`);
    seen.add(s);
  });
  return v.slice() as string[];
}

function numberArray(v: unknown, path: string, length: number | null, positive = false): number[] {
  if (!Array.isArray(v)) throw new ConfigError(path, `${path} must be a list of numbers (got ${show(v)})`);
  if (length !== null && v.length !== length) {
    throw new ConfigError(path, `${path} must have one value per feature column (${length}), got ${v.length}`);
  }
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(`${path}[${i}]`, `${path}[${i}] must be a finite number (got ${show(x)})`);
    if (positive && !(x > 0)) throw new ConfigError(`${path}[${i}]`, `${path}[${i}] must be > 0 (got ${x})`);
  });
  return v.slice() as number[];
}

function checkEnum<T extends string>(v: unknown, path: string, allowed: readonly T[], what = 'one of'): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(path, `${path} must be ${what} ${allowed.map((a) => `"${a}"`).join(', ')} (got ${show(v)})`);
  }
  return v as T;
}

/** 'an integer >= 1 or "auto" or null' */
function describeSpec(spec: ParamSpec): string {
  const parts: string[] = [];
  if (spec.type === 'enum') {
    parts.push(`one of ${(spec.values ?? []).map((a) => `"${a}"`).join(', ')}`);
  } else if (spec.type === 'boolean') {
    parts.push('true or false');
    for (const s of spec.values ?? []) parts.push(`"${s}"`);
  } else {
    let d = spec.type === 'int' ? 'an integer' : 'a number';
    if (spec.min !== undefined) d += ` ${spec.exclusive_min ? '>' : '>='} ${spec.min}`;
    if (spec.max !== undefined && spec.max !== 4294967295) d += `${spec.min !== undefined ? ' and' : ''} <= ${spec.max}`;
    parts.push(d);
    for (const s of spec.values ?? []) parts.push(`"${s}"`);
  }
  if (spec.array) parts.push('a list of rows');
  if (spec.nullable) parts.push('null');
  return parts.join(' or ');
}

function checkParam(v: unknown, spec: ParamSpec, path: string): unknown {
  const fail = (): never => {
    throw new ConfigError(path, `${path} must be ${describeSpec(spec)} (got ${show(v)})`);
  };
  if (v === null) return spec.nullable ? null : fail();
  if (typeof v === 'string') {
    if (spec.values?.includes(v)) return v;
    return fail();
  }
  if (Array.isArray(v)) {
    if (!spec.array) return fail();
    return checkRows(v, path);
  }
  if (spec.type === 'boolean') return typeof v === 'boolean' ? v : fail();
  if (spec.type === 'enum') return fail();
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail();
  if (spec.type === 'int' && !Number.isInteger(v)) return fail();
  if (spec.min !== undefined && (spec.exclusive_min ? !(v > spec.min) : !(v >= spec.min))) return fail();
  if (spec.max !== undefined && v > spec.max) return fail();
  return v;
}

/** An explicit array of rows (KMeans init): non-empty, rows of finite numbers, all the same length. */
function checkRows(v: unknown[], path: string): number[][] {
  if (v.length === 0) throw new ConfigError(path, `${path} must not be an empty list of rows`);
  let width = -1;
  return v.map((row, i) => {
    if (!Array.isArray(row)) throw new ConfigError(`${path}[${i}]`, `${path}[${i}] must be a row (a list of numbers) (got ${show(row)})`);
    if (width < 0) width = row.length;
    if (row.length === 0 || row.length !== width) {
      throw new ConfigError(`${path}[${i}]`, `${path}[${i}] has ${row.length} values; every row must have the same number (${width}) and at least one`);
    }
    row.forEach((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(`${path}[${i}][${j}]`, `${path}[${i}][${j}] must be a finite number (got ${show(x)})`);
    });
    return row.slice() as number[];
  });
}

function checkParams(
  params: unknown,
  path: string,
  owner: string,
  specs: Record<string, ParamSpec>,
  aliases: Record<string, string> = {},
): Record<string, unknown> {
  if (params === undefined) return {};
  if (!isObject(params)) throw new ConfigError(path, `${path} must be an object of parameters (got ${show(params)})`);
  const out: Record<string, unknown> = {};
  for (const key of presentKeys(params)) {
    const target = aliases[key] ?? key;
    const spec = specs[target];
    if (!spec) {
      throw new ConfigError(`${path}.${key}`, `${path}.${key}: unknown parameter "${key}" for ${owner}; expected one of ${Object.keys(specs).join(', ')}`);
    }
    const value = checkParam(params[key], spec, `${path}.${key}`);
    if (target !== key && params[target] !== undefined) {
      if (JSON.stringify(params[target]) !== JSON.stringify(value)) {
        throw new ConfigError(`${path}.${key}`, `${path}.${key} (old name of ${target}) disagrees with ${path}.${target}; give only ${target}`);
      }
      continue;
    }
    out[target] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// validation

/** Checks every field of a configuration; returns a normalised copy or throws ConfigError naming the first bad field. */
export function validateConfig(value: unknown): ClusterTuneConfig {
  if (!isObject(value)) throw new ConfigError('file', `a configuration must be a JSON object (got ${Array.isArray(value) ? 'a list' : show(value)})`);
  const v = value;
  if (v.format !== 'clustertune-config') {
    throw new ConfigError('format', `format must be "clustertune-config" (got ${show(v.format)}); is this a ClusterTune configuration file?`);
  }
  if (v.version !== 1) throw new ConfigError('version', `version must be 1 (got ${show(v.version)}); this app reads version 1 configuration files`);
  checkKeys(v, '', ['format', 'version', 'dataset', 'preprocessing', 'estimators', 'embedding', 'result', 'segments']);

  const dataset = v.dataset === undefined ? undefined : checkDataset(v.dataset);
  const preprocessing = checkPreprocessing(v.preprocessing, dataset);
  const n_features = matrixWidth(preprocessing, dataset);

  if (v.estimators === undefined) throw new ConfigError('estimators', 'estimators is missing: give a list of 1 to 4 estimators, e.g. [{"name": "KMeans", "params": {"n_clusters": 4}}]');
  if (!Array.isArray(v.estimators)) throw new ConfigError('estimators', `estimators must be a list of 1 to 4 estimators (got ${show(v.estimators)})`);
  if (v.estimators.length < 1 || v.estimators.length > 4) {
    throw new ConfigError('estimators', `estimators must have 1 to 4 entries (got ${v.estimators.length})`);
  }
  const estimators = v.estimators.map((e, i) => checkEstimator(e, `estimators[${i}]`, n_features));

  const out: ClusterTuneConfig = { format: 'clustertune-config', version: 1 } as ClusterTuneConfig;
  if (dataset) out.dataset = dataset;
  out.preprocessing = preprocessing;
  out.estimators = estimators;
  if (v.embedding !== undefined) out.embedding = checkEmbedding(v.embedding);
  if (v.result !== undefined) {
    if (!Array.isArray(v.result)) throw new ConfigError('result', `result must be a list (one entry per estimator) (got ${show(v.result)})`);
    out.result = structuredClone(v.result);
  }
  if (v.segments !== undefined) out.segments = structuredClone(v.segments);
  return out;
}

/** The number of matrix columns the configuration implies (one-hot columns expanded), or null when unknown. */
function matrixWidth(pre: ClusterTuneConfig['preprocessing'], dataset: DatasetInfo | undefined): number | null {
  const oneHot = pre.one_hot ?? [];
  if (pre.features?.length) {
    if (!oneHot.length) return pre.features.length;
    const cats = pre.fitted?.categories;
    if (cats) return pre.features.length - oneHot.length + oneHot.reduce((a, c) => a + cats[c].length, 0);
  }
  return dataset ? dataset.n_features : null;
}

function checkDataset(d: unknown): DatasetInfo {
  if (!isObject(d)) throw new ConfigError('dataset', `dataset must be an object (got ${show(d)})`);
  checkKeys(d, 'dataset', ['name', 'n_samples', 'n_features', 'columns', 'fingerprint']);
  if (typeof d.name !== 'string') throw new ConfigError('dataset.name', `dataset.name must be text (got ${show(d.name)})`);
  for (const k of ['n_samples', 'n_features'] as const) {
    const x = d[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) throw new ConfigError(`dataset.${k}`, `dataset.${k} must be an integer >= 1 (got ${show(x)})`);
  }
  const columns = stringArray(d.columns, 'dataset.columns', { unique: true });
  if (columns.length !== d.n_features) {
    throw new ConfigError('dataset.columns', `dataset.columns has ${columns.length} names but dataset.n_features is ${d.n_features}`);
  }
  if (typeof d.fingerprint !== 'string' || !FINGERPRINT_RE.test(d.fingerprint)) {
    throw new ConfigError('dataset.fingerprint', `dataset.fingerprint must be "sha256:" followed by 64 lower-case hex digits (got ${show(d.fingerprint)})`);
  }
  return { name: d.name, n_samples: d.n_samples as number, n_features: d.n_features as number, columns, fingerprint: d.fingerprint };
}

function checkPreprocessing(p: unknown, dataset: DatasetInfo | undefined): ClusterTuneConfig['preprocessing'] {
  if (p === undefined) throw new ConfigError('preprocessing', 'preprocessing is missing: give at least {"impute": "median", "scaler": "standard"}');
  if (!isObject(p)) throw new ConfigError('preprocessing', `preprocessing must be an object (got ${show(p)})`);
  checkKeys(p, 'preprocessing', ['exclude', 'features', 'impute', 'log1p', 'scaler', 'derived', 'one_hot', 'fitted']);
  const out = {} as ClusterTuneConfig['preprocessing'];
  if (p.exclude !== undefined) out.exclude = stringArray(p.exclude, 'preprocessing.exclude', { nonEmptyStrings: true, unique: true });
  if (p.features !== undefined) out.features = stringArray(p.features, 'preprocessing.features', { nonEmptyStrings: true, unique: true });
  if (out.features && out.exclude) {
    const i = out.exclude.findIndex((c) => out.features!.includes(c));
    if (i >= 0) throw new ConfigError(`preprocessing.exclude[${i}]`, `preprocessing.exclude[${i}] "${out.exclude[i]}" is also listed in preprocessing.features`);
  }
  if (p.impute === undefined) throw new ConfigError('preprocessing.impute', `preprocessing.impute is missing; give one of ${IMPUTE_VALUES.map((s) => `"${s}"`).join(', ')}`);
  out.impute = checkEnum(p.impute, 'preprocessing.impute', IMPUTE_VALUES);
  out.log1p = p.log1p === undefined ? [] : stringArray(p.log1p, 'preprocessing.log1p', { nonEmptyStrings: true, unique: true });
  const featureList = out.features?.length ? out.features : dataset?.columns;
  if (featureList) {
    const i = out.log1p.findIndex((c) => !featureList.includes(c));
    if (i >= 0) throw new ConfigError(`preprocessing.log1p[${i}]`, `preprocessing.log1p[${i}] "${out.log1p[i]}" is not one of the feature columns`);
  }
  if (out.exclude) {
    const i = out.log1p.findIndex((c) => out.exclude!.includes(c));
    if (i >= 0) throw new ConfigError(`preprocessing.log1p[${i}]`, `preprocessing.log1p[${i}] "${out.log1p[i]}" is an excluded column`);
  }
  if (p.derived !== undefined) out.derived = checkDerivedList(p.derived, out.exclude ?? []);
  if (p.one_hot !== undefined) {
    out.one_hot = stringArray(p.one_hot, 'preprocessing.one_hot', { nonEmptyStrings: true, unique: true });
    if (out.features) {
      const i = out.one_hot.findIndex((c) => !out.features!.includes(c));
      if (i >= 0) throw new ConfigError(`preprocessing.one_hot[${i}]`, `preprocessing.one_hot[${i}] "${out.one_hot[i]}" is not one of preprocessing.features`);
    }
    const l = out.log1p.findIndex((c) => out.one_hot!.includes(c));
    if (l >= 0) throw new ConfigError(`preprocessing.log1p[${l}]`, `preprocessing.log1p[${l}] "${out.log1p[l]}" is one-hot encoded: log1p does not apply to it`);
    if (out.exclude) {
      const i = out.one_hot.findIndex((c) => out.exclude!.includes(c));
      if (i >= 0) throw new ConfigError(`preprocessing.one_hot[${i}]`, `preprocessing.one_hot[${i}] "${out.one_hot[i]}" is an excluded column`);
    }
  }
  if (p.scaler === undefined) throw new ConfigError('preprocessing.scaler', `preprocessing.scaler is missing; give one of ${SCALER_VALUES.map((s) => `"${s}"`).join(', ')}`);
  out.scaler = checkEnum(p.scaler, 'preprocessing.scaler', SCALER_VALUES);
  if (p.fitted !== undefined) {
    const f = p.fitted;
    if (!isObject(f)) throw new ConfigError('preprocessing.fitted', `preprocessing.fitted must be an object (got ${show(f)})`);
    checkKeys(f, 'preprocessing.fitted', ['impute_values', 'center', 'scale', 'categories']);
    for (const k of ['impute_values', 'center', 'scale'] as const) {
      if (f[k] === undefined) throw new ConfigError(`preprocessing.fitted.${k}`, `preprocessing.fitted.${k} is missing`);
    }
    const oneHot = out.one_hot ?? [];
    let categories: Record<string, string[]> | undefined;
    if (f.categories !== undefined || oneHot.length) {
      if (f.categories === undefined) {
        throw new ConfigError('preprocessing.fitted.categories', `preprocessing.fitted.categories is missing: the one-hot columns (${oneHot.join(', ')}) need their learned categories`);
      }
      categories = checkCategories(f.categories, oneHot);
    }
    // one value per matrix column: the features with each one-hot column replaced by its categories
    let n: number | null = out.features?.length
      ? out.features.length - oneHot.length + oneHot.reduce((a, c) => a + (categories?.[c]?.length ?? 0), 0)
      : dataset
        ? dataset.columns.length
        : null;
    const impute_values = numberArray(f.impute_values, 'preprocessing.fitted.impute_values', n);
    n ??= impute_values.length;
    const center = numberArray(f.center, 'preprocessing.fitted.center', n);
    const scale = numberArray(f.scale, 'preprocessing.fitted.scale', n, true);
    out.fitted = { impute_values, center, scale, ...(categories ? { categories } : {}) };
  }
  return out;
}

function checkDerivedList(v: unknown, exclude: string[]): DerivedColumn[] {
  const path = 'preprocessing.derived';
  if (!Array.isArray(v)) throw new ConfigError(path, `${path} must be a list like [{"name": "Total", "kind": "sum", "columns": ["a", "b"]}] (got ${show(v)})`);
  const names = new Set<string>();
  return v.map((d, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(d)) throw new ConfigError(at, `${at} must be an object like {"name": "Total", "kind": "sum", "columns": ["a", "b"]} (got ${show(d)})`);
    checkKeys(d, at, ['name', 'kind', 'columns', 'reference_year']);
    if (typeof d.name !== 'string' || d.name.trim() === '' || d.name.trim() !== d.name) {
      throw new ConfigError(`${at}.name`, `${at}.name must be a non-empty column name without surrounding spaces (got ${show(d.name)})`);
    }
    if (names.has(d.name)) throw new ConfigError(`${at}.name`, `${at}.name "${d.name}" is already the name of an earlier derived column`);
    if (exclude.includes(d.name)) throw new ConfigError(`${at}.name`, `${at}.name "${d.name}" is also listed in preprocessing.exclude`);
    names.add(d.name);
    const kind = checkEnum(d.kind, `${at}.kind`, DERIVED_KINDS);
    const columns = stringArray(d.columns, `${at}.columns`, { nonEmptyStrings: true, unique: true });
    const [lo, hi] = DERIVED_ARITY[kind];
    if (columns.length < lo || columns.length > hi) {
      const need = kind === 'sum' ? 'at least 2 columns' : kind === 'ratio' ? 'exactly 2 columns (numerator, denominator)' : 'exactly 1 column (the birth year)';
      throw new ConfigError(`${at}.columns`, `${at}.columns must have ${need} for kind "${kind}" (got ${columns.length})`);
    }
    if (columns.includes(d.name)) throw new ConfigError(`${at}.columns`, `${at}.columns uses the column it defines ("${d.name}")`);
    const out: DerivedColumn = { name: d.name, kind, columns };
    if (kind === 'age') {
      const y = d.reference_year;
      if (typeof y !== 'number' || !Number.isInteger(y) || y < 1000 || y > 9999) {
        throw new ConfigError(`${at}.reference_year`, `${at}.reference_year must be a year such as 2024 (got ${show(y)})`);
      }
      out.reference_year = y;
    } else if (d.reference_year !== undefined) {
      throw new ConfigError(`${at}.reference_year`, `${at}.reference_year applies only to kind "age" (this one is "${kind}")`);
    }
    return out;
  });
}

function checkCategories(v: unknown, oneHot: string[]): Record<string, string[]> {
  const path = 'preprocessing.fitted.categories';
  if (!isObject(v)) throw new ConfigError(path, `${path} must be an object {column: [categories]} (got ${show(v)})`);
  const out: Record<string, string[]> = {};
  for (const k of presentKeys(v)) {
    if (!oneHot.includes(k)) throw new ConfigError(`${path}.${k}`, `${path}.${k}: "${k}" is not listed in preprocessing.one_hot`);
    const cats = stringArray(v[k], `${path}.${k}`, { unique: true });
    if (cats.length === 0) throw new ConfigError(`${path}.${k}`, `${path}.${k} must list at least one category`);
    out[k] = cats;
  }
  const lack = oneHot.find((c) => !Object.hasOwn(out, c));
  if (lack !== undefined) throw new ConfigError(`${path}.${lack}`, `${path}.${lack} is missing: every one-hot column needs its learned categories`);
  return out;
}

function checkEstimator(e: unknown, path: string, n_features: number | null): EstimatorConfig {
  if (!isObject(e)) throw new ConfigError(path, `${path} must be an object like {"name": "KMeans", "params": {...}} (got ${show(e)})`);
  checkKeys(e, path, ['name', 'params', 'fitted']);
  const name = e.name;
  if (typeof name !== 'string' || !(ESTIMATOR_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`${path}.name`, `unknown estimator ${show(name)}; expected one of ${ESTIMATOR_NAMES.join(', ')}`);
  }
  const est = name as EstimatorName;
  const params = checkParams(e.params, `${path}.params`, est, ESTIMATOR_PARAMS[est], PARAM_ALIASES[est]);
  const pp = `${path}.params`;

  if (est === 'KMeans' && Array.isArray(params.init)) {
    const rows = params.init as number[][];
    const k = params.n_clusters === undefined ? (ESTIMATOR_PARAMS.KMeans.n_clusters.default as number) : (params.n_clusters as number);
    if (rows.length !== k) throw new ConfigError(`${pp}.init`, `${pp}.init has ${rows.length} rows but n_clusters is ${k}; give one initial centre per cluster`);
    if (n_features !== null && rows[0].length !== n_features) {
      throw new ConfigError(`${pp}.init`, `${pp}.init rows have ${rows[0].length} values but the data has ${n_features} feature columns`);
    }
  }
  if (est === 'AgglomerativeClustering') {
    const k = params.n_clusters === undefined ? ESTIMATOR_PARAMS.AgglomerativeClustering.n_clusters.default : params.n_clusters;
    const t = params.distance_threshold ?? null;
    if ((k === null) === (t === null)) {
      const field = t === null ? `${pp}.n_clusters` : `${pp}.distance_threshold`;
      throw new ConfigError(
        field,
        `${pp}: set exactly one of n_clusters and distance_threshold and the other to null` +
          (t !== null && params.n_clusters === undefined ? ' (n_clusters defaults to 2: write "n_clusters": null to cut at a distance_threshold)' : '') +
          ` (got n_clusters ${show(k)}, distance_threshold ${show(t)})`,
      );
    }
    if (t !== null && params.compute_full_tree === false) {
      throw new ConfigError(`${pp}.compute_full_tree`, `${pp}.compute_full_tree must be true or "auto" when distance_threshold is set (got false)`);
    }
    const linkage = params.linkage ?? 'ward';
    const metric = params.metric ?? 'euclidean';
    if (linkage === 'ward' && metric !== 'euclidean') {
      const given = e.params as Record<string, unknown>;
      const key = given.metric === undefined && given.affinity !== undefined ? 'affinity' : 'metric';
      throw new ConfigError(`${pp}.${key}`, `${pp}.${key} must be "euclidean" with linkage "ward" (got ${show(metric)})`);
    }
  }
  if (e.fitted === undefined) return { name: est, params };
  if (!isObject(e.fitted)) throw new ConfigError(`${path}.fitted`, `${path}.fitted must be an object (got ${show(e.fitted)})`);
  return { name: est, params, fitted: structuredClone(e.fitted) };
}

function checkEmbedding(e: unknown): NonNullable<ClusterTuneConfig['embedding']> {
  if (!isObject(e)) throw new ConfigError('embedding', `embedding must be an object like {"name": "TSNE", "params": {...}} (got ${show(e)})`);
  checkKeys(e, 'embedding', ['name', 'params']);
  const name = checkEnum(e.name, 'embedding.name', EMBEDDING_NAMES);
  const params = checkParams(e.params, 'embedding.params', name, EMBEDDING_PARAMS[name]);
  if (name === 'TSNE' && params.n_iter !== undefined && params.max_iter !== undefined && params.n_iter !== params.max_iter) {
    throw new ConfigError('embedding.params.max_iter', 'embedding.params: n_iter and max_iter are two names of one parameter and disagree; give only one');
  }
  return { name, params };
}

// ---------------------------------------------------------------------------------------------------------------
// text

/** JSON.parse + validateConfig. An empty file or text that is not JSON gives ConfigError('file', ...). */
export function parseConfig(text: string): ClusterTuneConfig {
  if (typeof text !== 'string' || text.replace(/^\uFEFF/, '').trim() === '') {
    throw new ConfigError('file', 'the configuration file is empty');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError('file', `the configuration file is not valid JSON (${(err as Error).message})`);
  }
  return validateConfig(value);
}

/** Pretty JSON with 2-space indentation and a final newline. */
export function serializeConfig(config: ClusterTuneConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// helpers for callers

/** An estimator's parameters with scikit-learn's defaults filled in for the ones not given. */
export function withDefaults(est: EstimatorConfig): Record<string, unknown> {
  const specs = ESTIMATOR_PARAMS[est.name];
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(specs)) out[k] = est.params[k] !== undefined ? est.params[k] : spec.default;
  return out;
}

/** A sentence describing how the configuration's data set differs from the current data, or null when it matches. */
export function datasetMismatch(
  config: ClusterTuneConfig,
  current: { n_samples: number; n_features: number; columns: string[]; fingerprint: string },
): string | null {
  const d = config.dataset;
  if (!d) return null;
  const parts: string[] = [];
  const missing = d.columns.filter((c) => !current.columns.includes(c));
  const extra = current.columns.filter((c) => !d.columns.includes(c));
  const list = (a: string[]) => a.slice(0, 5).map((c) => `"${c}"`).join(', ') + (a.length > 5 ? ` and ${a.length - 5} more` : '');
  if (missing.length) parts.push(`${missing.length === 1 ? 'column' : 'columns'} ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} not in this data`);
  if (extra.length) parts.push(`this data has ${extra.length === 1 ? 'a column' : 'columns'} ${list(extra)} that the configuration does not`);
  if (!missing.length && !extra.length && d.columns.join('\u0000') !== current.columns.join('\u0000')) parts.push('the columns are in a different order');
  if (d.n_samples !== current.n_samples) parts.push(`it had ${d.n_samples} rows, this data has ${current.n_samples}`);
  if (!missing.length && !extra.length && d.n_features !== current.n_features) parts.push(`it had ${d.n_features} feature columns, this data has ${current.n_features}`);
  if (parts.length === 0 && d.fingerprint !== current.fingerprint) {
    parts.push('the shape and columns are the same but the values differ (the fingerprint does not match)');
  }
  if (parts.length === 0) return null;
  return `This configuration was made on other data ("${d.name}", ${d.n_samples} rows x ${d.n_features} features): ${parts.join('; ')}.`;
}
