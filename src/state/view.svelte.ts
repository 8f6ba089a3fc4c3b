/**
 * What the scatter shows: which embedding (PCA, or two chosen features) and its coordinates.
 */
import type { ClusterTuneConfig } from '../../workers/engine/config/config.ts';
import type { PreparedInfo } from '../jobs/protocol.ts';

export type EmbeddingKind = 'pca' | 'features';

export interface Coords {
  x: Float64Array;
  y: Float64Array;
  xTitle: string;
  yTitle: string;
}

export class ViewState {
  embedding = $state<EmbeddingKind>('pca');
  xFeature = $state<string | null>(null);
  yFeature = $state<string | null>(null);
  /** Zoom shared by every pane's scatter (null = autorange). */
  range = $state.raw<{ x: [number, number]; y: [number, number] } | null>(null);
  /** Rows selected by lasso or box in any pane, shown in every pane (null = no selection). */
  selection = $state.raw<number[] | null>(null);

  /** Reads a Plotly relayout event into the shared zoom. */
  relayout(ev: Record<string, unknown>): void {
    if (ev['xaxis.autorange'] || ev['yaxis.autorange']) {
      this.range = null;
      return;
    }
    const x0 = ev['xaxis.range[0]'];
    const x1 = ev['xaxis.range[1]'];
    const y0 = ev['yaxis.range[0]'];
    const y1 = ev['yaxis.range[1]'];
    if ([x0, x1, y0, y1].every((v) => typeof v === 'number')) {
      this.range = { x: [x0 as number, x1 as number], y: [y0 as number, y1 as number] };
    }
  }

  /** Forgets zoom and selection (new data). */
  reset(): void {
    this.range = null;
    this.selection = null;
  }

  embeddingConfig(): ClusterTuneConfig['embedding'] {
    return { name: 'PCA', params: { n_components: 2 } };
  }

  loadEmbedding(e: NonNullable<ClusterTuneConfig['embedding']>): void {
    if (e.name === 'PCA') this.embedding = 'pca';
  }

  coords(prepared: PreparedInfo): Coords {
    const n = prepared.n_samples;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    if (this.embedding === 'features') {
      const cols = prepared.spec.features;
      const xi = Math.max(0, cols.indexOf(this.xFeature ?? cols[0]));
      const yi = Math.max(0, cols.indexOf(this.yFeature ?? cols[Math.min(1, cols.length - 1)]));
      const d = prepared.n_features;
      for (let i = 0; i < n; i++) {
        x[i] = prepared.X[i * d + xi];
        y[i] = prepared.X[i * d + yi];
      }
      return { x, y, xTitle: `${cols[xi]} (scaled)`, yTitle: `${cols[yi]} (scaled)` };
    }
    for (let i = 0; i < n; i++) {
      x[i] = prepared.pca[i * 3];
      y[i] = prepared.pca[i * 3 + 1];
    }
    const r = prepared.pca_explained_variance_ratio;
    const pct = (v: number | undefined) => (v === undefined ? '' : ` (${(v * 100).toFixed(1)} % of variance)`);
    return { x, y, xTitle: `PC 1${pct(r[0])}`, yTitle: `PC 2${pct(r[1])}` };
  }
}
