/**
 * The configuration file (../shared/DESIGN.md) built from the session for export. Pure: no state, no DOM.
 */
import type { ClusterTuneConfig, EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { MetricsAnswer, PreparedInfo, TableInfo, ClusterAnswer } from '../jobs/protocol.ts';
import { segmentsConfig } from '../../workers/engine/segments/names_config.ts';
import { preprocessingConfig } from '../../workers/engine/config/spec.ts';

export interface PaneSnapshot {
  estimator: EstimatorConfig;
  result: ClusterAnswer | null;
  metrics: MetricsAnswer | null;
}

export function buildConfig(
  table: TableInfo,
  prepared: PreparedInfo,
  panes: PaneSnapshot[],
  embedding: ClusterTuneConfig['embedding'],
  /** The configuration file's fingerprint of the prepared data (src/jobs/fingerprint_client.ts). */
  fingerprint: string,
  /** The primary estimator's segment names, by label (written as `segments.names`). */
  segmentNames: Record<number, string> | null = null,
): ClusterTuneConfig {
  const spec = prepared.spec;
  return {
    format: 'clustertune-config',
    version: 1,
    dataset: {
      name: table.name,
      n_samples: prepared.n_samples,
      n_features: prepared.n_features,
      columns: [...prepared.fitted.columns],
      fingerprint,
    },
    preprocessing: preprocessingConfig(spec, prepared.fitted, table.loaded_columns ?? table.columns),
    estimators: panes.map((p) => ({ name: p.estimator.name, params: structuredClone(p.estimator.params) })),
    embedding,
    result: panes.map((p) => ({
      n_clusters: p.result?.n_clusters ?? null,
      n_noise: p.result?.n_noise ?? null,
      silhouette: p.metrics?.silhouette ?? null,
      davies_bouldin: p.metrics?.davies_bouldin ?? null,
      calinski_harabasz: p.metrics?.calinski_harabasz ?? null,
      inertia: p.result?.inertia ?? null,
    })),
    ...(segmentNames ? { segments: segmentsConfig(segmentNames) } : {}),
  };
}
