import { ConfigError, type ClusterTuneConfig } from './config.ts';
import type { FittedPreprocessing, PreprocessingSpec } from '../data/preprocess.ts';
import { encodedColumns } from '../data/encoding.ts';

/**
 * The preprocessing spec a configuration asks for, on the given loaded table (its own columns, without derived
 * ones). Features: `preprocessing.features`, else `dataset.columns` (one-hot `column=category` names mapped back to
 * their column), else every numeric column not in `exclude` plus the derived columns. A column that is neither in
 * the table nor derived is an error naming it.
 */
export function specFromConfig(config: ClusterTuneConfig, table: { columns: string[]; default_features: string[] }): PreprocessingSpec {
  const pre = config.preprocessing;
  const derived = pre.derived ?? [];
  const oneHot = pre.one_hot ?? [];
  const derivedNames = derived.map((d) => d.name);
  let features: string[];
  let field: string;
  if (pre.features && pre.features.length) {
    features = [...pre.features];
    field = 'preprocessing.features';
  } else if (config.dataset?.columns?.length) {
    features = [];
    for (const c of config.dataset.columns) {
      const src = oneHot.find((o) => c.startsWith(`${o}=`)) ?? c;
      if (!features.includes(src)) features.push(src);
    }
    field = 'dataset.columns';
  } else {
    const exclude = new Set(pre.exclude ?? []);
    features = [...table.default_features, ...derivedNames, ...oneHot.filter((c) => !table.default_features.includes(c))].filter((c) => !exclude.has(c));
    field = 'preprocessing.exclude';
  }
  const clash = derived.findIndex((d) => table.columns.includes(d.name));
  if (clash >= 0) {
    throw new ConfigError(`preprocessing.derived[${clash}].name`, `preprocessing.derived[${clash}].name "${derived[clash].name}" is already a column of the loaded data`);
  }
  for (let i = 0; i < derived.length; i++) {
    const known = [...table.columns, ...derivedNames.slice(0, i)];
    const bad = derived[i].columns.find((c) => !known.includes(c));
    if (bad !== undefined) {
      throw new ConfigError(`preprocessing.derived[${i}].columns`, `preprocessing.derived[${i}].columns names "${bad}", which is neither a column of the loaded data nor an earlier derived column`);
    }
  }
  const missing = features.filter((c) => !table.columns.includes(c) && !derivedNames.includes(c));
  if (missing.length) {
    throw new ConfigError(field, `${field} names ${missing.length === 1 ? 'a column' : 'columns'} the loaded data does not have: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`);
  }
  const badLog = (pre.log1p ?? []).filter((c) => !features.includes(c));
  if (badLog.length) throw new ConfigError('preprocessing.log1p', `preprocessing.log1p names columns that are not features: ${badLog.join(', ')}`);
  const badHot = oneHot.filter((c) => !features.includes(c));
  if (badHot.length) throw new ConfigError('preprocessing.one_hot', `preprocessing.one_hot names columns that are not features: ${badHot.join(', ')}`);
  return {
    features,
    impute: pre.impute,
    log1p: [...(pre.log1p ?? [])],
    scaler: pre.scaler,
    ...(derived.length ? { derived: structuredClone(derived) } : {}),
    ...(oneHot.length ? { one_hot: [...oneHot] } : {}),
  };
}

/**
 * The learned preprocessing a configuration records (for scoring new rows), or null when it has none
 * (`preprocessing.fitted` absent). Matrix columns: the features with one-hot columns expanded.
 */
export function fittedFromConfig(config: ClusterTuneConfig): FittedPreprocessing | null {
  const pre = config.preprocessing;
  const f = pre.fitted;
  if (!f) return null;
  const categories = f.categories ?? {};
  const features = pre.features?.length ? pre.features : null;
  const columns = features ? encodedColumns(features, categories) : (config.dataset?.columns ?? null);
  if (!columns) throw new ConfigError('preprocessing.features', 'preprocessing.features (or dataset.columns) is needed to apply the fitted preprocessing');
  return {
    columns,
    impute_values: [...f.impute_values],
    log1p: [...pre.log1p],
    center: [...f.center],
    scale: [...f.scale],
    ...(features ? { features: [...features] } : {}),
    ...(pre.derived?.length ? { derived: structuredClone(pre.derived) } : {}),
    ...(pre.one_hot?.length ? { categories: structuredClone(categories) } : {}),
  };
}

/** The spec's part of a configuration's `preprocessing` section (what to do, not what was learned). */
export function specSection(spec: PreprocessingSpec): ClusterTuneConfig['preprocessing'] {
  return {
    features: [...spec.features],
    impute: spec.impute,
    log1p: [...spec.log1p],
    scaler: spec.scaler,
    ...(spec.derived?.length ? { derived: structuredClone(spec.derived) } : {}),
    ...(spec.one_hot?.length ? { one_hot: [...spec.one_hot] } : {}),
  };
}

/** The `preprocessing` section of a configuration for a spec and what was learned on the loaded table's columns. */
export function preprocessingConfig(spec: PreprocessingSpec, fitted: FittedPreprocessing, loadedColumns: string[]): ClusterTuneConfig['preprocessing'] {
  return {
    exclude: loadedColumns.filter((c) => !spec.features.includes(c)),
    ...specSection(spec),
    fitted: {
      impute_values: [...fitted.impute_values],
      center: [...fitted.center],
      scale: [...fitted.scale],
      ...(fitted.categories && spec.one_hot?.length ? { categories: structuredClone(fitted.categories) } : {}),
    },
  };
}
