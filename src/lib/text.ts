/**
 * Plotly reads a few HTML-like tags in hover texts and titles; text from a file must stay text.
 * Escaping <, > and & makes Plotly show them literally.
 */
export function plotText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// One formatter, made once: Number.prototype.toLocaleString builds a new one per call (≈ 20 µs each).
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** A number for people: `digits` significant digits, thousands grouped, no exponent for ordinary magnitudes. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(2);
  return GROUPED.format(Number.isInteger(v) ? v : Number(v.toPrecision(digits)));
}

/** A compact number for bulk text (hover labels of every point): no grouping, 6 significant digits. */
export function fmtPlain(v: number): string {
  if (Number.isNaN(v)) return 'missing';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
