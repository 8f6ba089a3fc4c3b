import { ConfigError, type ClusterTuneConfig } from './config.ts';
import type { PreprocessingSpec } from '../data/preprocess.ts';

/**
 * The preprocessing spec a configuration asks for, on the given table. Features: `preprocessing.features`, else
 * `dataset.columns`, else every numeric column not in `exclude`. A column the table lacks is an error naming it.
 */
export function specFromConfig(config: ClusterTuneConfig, table: { columns: string[]; default_features: string[] }): PreprocessingSpec {
  const pre = config.preprocessing;
  let features: string[];
  let field: string;
  if (pre.features && pre.features.length) {
    features = [...pre.features];
    field = 'preprocessing.features';
  } else if (config.dataset?.columns?.length) {
    features = [...config.dataset.columns];
    field = 'dataset.columns';
  } else {
    const exclude = new Set(pre.exclude ?? []);
    features = table.default_features.filter((c) => !exclude.has(c));
    field = 'preprocessing.exclude';
  }
  const missing = features.filter((c) => !table.columns.includes(c));
  if (missing.length) {
    throw new ConfigError(field, `${field} names ${missing.length === 1 ? 'a column' : 'columns'} the loaded data does not have: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`);
  }
  const badLog = (pre.log1p ?? []).filter((c) => !features.includes(c));
  if (badLog.length) throw new ConfigError('preprocessing.log1p', `preprocessing.log1p names columns that are not features: ${badLog.join(', ')}`);
  return { features, impute: pre.impute, log1p: [...(pre.log1p ?? [])], scaler: pre.scaler };
}
