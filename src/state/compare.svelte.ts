/**
 * Side-by-side comparison of the panes: colours of every other pane matched to the first pane's clusters
 * (Hungarian assignment on the contingency table), the agreement (ARI, NMI) between every pair, and the
 * contingency table of a chosen pair. All derived from the panes' current results (cheap: O(n) per pair).
 */
import type { PaneState } from './pane.svelte.ts';
import type { DatasetState } from './dataset.svelte.ts';
import { matchLabels } from '../../workers/engine/metrics/hungarian.ts';
import { adjustedRandOf, contingencyMatrix, normalizedMutualInfoOf } from '../../workers/engine/metrics/contingency.ts';

export interface Agreement {
  a: string;
  b: string;
  ari: number;
  nmi: number;
}

export class CompareState {
  /** The pair whose contingency table is shown (pane ids). */
  pairA = $state('1');
  pairB = $state('2');

  constructor(
    private readonly panes: () => PaneState[],
    private readonly dataset: DatasetState,
  ) {}

  /** Panes with a result for the current data, in order. */
  get ready(): PaneState[] {
    const key = this.dataset.prepared?.key;
    return this.panes().filter((p) => p.result && p.resultKey === key);
  }

  /** The labels a pane's scatter is coloured by: its own for the first pane, matched to the first pane's for the others. */
  displayLabels = (pane: PaneState): Int32Array | null => {
    const r = pane.result;
    if (!r) return null;
    const first = this.panes()[0];
    if (pane === first || !first.result || first.resultKey !== pane.resultKey) return r.labels;
    const map = matchLabels(first.result.labels, r.labels);
    const out = new Int32Array(r.labels.length);
    for (let i = 0; i < out.length; i++) out[i] = r.labels[i] < 0 ? -1 : map[r.labels[i]];
    return out;
  };

  /** ARI and NMI of every pair (derived: computed once per change of the results, however often it is read). */
  agreements: Agreement[] = $derived.by(() => {
    const ready = this.ready;
    const out: Agreement[] = [];
    for (let i = 0; i < ready.length; i++) {
      for (let j = i + 1; j < ready.length; j++) {
        const a = ready[i].result!.labels;
        const b = ready[j].result!.labels;
        const c = contingencyMatrix(a, b);
        out.push({ a: ready[i].id, b: ready[j].id, ari: adjustedRandOf(c, a.length), nmi: normalizedMutualInfoOf(c) });
      }
    }
    return out;
  });

  /** The contingency table of the chosen pair (derived, as agreements). */
  contingency: { a: PaneState; b: PaneState; rows: number[]; cols: number[]; counts: number[][] } | null = $derived.by(() => {
    const ready = this.ready;
    const a = ready.find((p) => p.id === this.pairA) ?? ready[0];
    const b = ready.find((p) => p.id === this.pairB && p !== a) ?? ready.find((p) => p !== a);
    if (!a || !b) return null;
    const c = contingencyMatrix(a.result!.labels, b.result!.labels);
    const A = c.classes_a.length;
    const B = c.classes_b.length;
    // columns in the order of the rows they match (Hungarian assignment): agreeing clusters lie on the diagonal
    const map = matchLabels(a.result!.labels, b.result!.labels);
    const rank = (l: number) => (l < 0 ? Number.MAX_SAFE_INTEGER : map[l]);
    const order = Array.from({ length: B }, (_, j) => j).sort((x, y) => rank(c.classes_b[x]) - rank(c.classes_b[y]));
    const counts = Array.from({ length: A }, (_, i) => order.map((j) => c.counts[i * B + j]));
    return { a, b, rows: Array.from(c.classes_a), cols: order.map((j) => c.classes_b[j]), counts };
  });
}
