import type { PreparedInfo } from '../jobs/protocol.ts';
import { fmtPlain, plotText } from './text.ts';

const cache = new WeakMap<PreparedInfo, string[]>();

/**
 * One hover text per row: its row number and original (unscaled) values. Built lazily: the array is a Proxy that
 * formats a row when it is first read (Plotly's scattergl reads `text[i]` of the hovered point only), so that a large
 * table does not pay for 100,000 labels (seconds of main-thread work) before its first draw. One per prepared data,
 * shared by every pane's scatter.
 */
export function hoverTexts(p: PreparedInfo): string[] {
  let texts = cache.get(p);
  if (texts) return texts;
  const cols = p.fitted.columns.map(plotText);
  const n = p.n_samples;
  const made = new Array<string>(n);
  texts = new Proxy(made, {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const c = key.charCodeAt(0);
        if (c >= 48 && c <= 57) {
          const i = Number(key);
          if (Number.isInteger(i) && i < n) return (target[i] ??= hoverText(p, cols, i));
        }
      }
      return Reflect.get(target, key, receiver);
    },
  });
  cache.set(p, texts);
  return texts;
}

/** The hover text of row i (its row number in the file, then up to 12 columns in original units). */
export function hoverText(p: PreparedInfo, cols: string[], i: number): string {
  const d = p.n_features;
  const shown = Math.min(d, 12);
  let s = `row ${p.row_index[i] + 1}`;
  for (let j = 0; j < shown; j++) s += `<br>${cols[j]}: ${fmtPlain(p.raw[i * d + j])}`;
  if (shown < d) s += `<br>… ${d - shown} more`;
  return s;
}
