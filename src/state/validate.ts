/**
 * Checks an estimator's parameters before a job is sent: the configuration file's own validation
 * (one set of rules for import and for the controls) plus the limits that depend on the data.
 */
import { ConfigError, validateConfig, type EstimatorConfig } from '../../workers/engine/config/config.ts';

export interface Problem {
  param: string;
  message: string;
}

export function validateEstimator(est: EstimatorConfig, n_samples: number | null): Problem | null {
  try {
    validateConfig({
      format: 'clustertune-config',
      version: 1,
      preprocessing: { impute: 'median', log1p: [], scaler: 'standard' },
      estimators: [est],
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      const m = /estimators\[0\]\.params\.([A-Za-z_]+)/.exec(e.field);
      const param = m ? m[1] : e.field;
      // Messages name the field by its path; beside a control the parameter's name reads better.
      return { param, message: e.message.replace(/estimators\[0\]\.params\./g, '') };
    }
    throw e;
  }
  if (n_samples !== null) {
    const p = est.params as Record<string, unknown>;
    for (const name of ['n_clusters', 'n_components', 'min_samples'] as const) {
      const v = p[name];
      if (typeof v === 'number' && v > n_samples) {
        return { param: name, message: `${name} must be <= the number of rows, ${n_samples} (got ${v})` };
      }
    }
  }
  return null;
}
