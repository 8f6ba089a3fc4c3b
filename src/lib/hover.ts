import type { PreparedInfo } from '../jobs/protocol.ts';
import { fmtPlain, plotText } from './text.ts';

/** One hover text per row: its row number and original (unscaled) values, built once per prepared data. */
export function hoverTexts(p: PreparedInfo): string[] {
  const cols = p.spec.features.map(plotText);
  const d = p.n_features;
  const shown = Math.min(d, 12);
  const out = new Array<string>(p.n_samples);
  for (let i = 0; i < p.n_samples; i++) {
    let s = `row ${p.row_index[i] + 1}`;
    for (let j = 0; j < shown; j++) {
      const v = p.raw[i * d + j];
      s += `<br>${cols[j]}: ${fmtPlain(v)}`;
    }
    if (shown < d) s += `<br>… ${d - shown} more`;
    out[i] = s;
  }
  return out;
}
