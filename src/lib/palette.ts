/**
 * Categorical colours for clusters (a colour-blind-aware 12-colour set; noise in light grey), and the
 * label -> colour arrays the scatter needs. Plotly's fastest public recolour path takes CSS colour strings
 * (../shared/notes/plotly_recolour.md).
 */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#2f4b7c', '#8cd17d', '#d37295',
];
/** Diverging heatmap colourscale: blue below the middle (negative, below the population), white at it, red above. */
export const DIVERGING: [number, string][] = [
  [0, '#2c6fb7'],
  [0.25, '#8fb6de'],
  [0.5, '#f7f7f7'],
  [0.75, '#eb9a8c'],
  [1, '#c0392b'],
];

export const NOISE_COLOUR = '#c8c8c8';
export const UNCLUSTERED_COLOUR = '#8a94a6';

export function clusterColour(label: number): string {
  return label < 0 ? NOISE_COLOUR : PALETTE[label % PALETTE.length];
}

export function labelColours(labels: Int32Array): string[] {
  const out = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] < 0 ? NOISE_COLOUR : PALETTE[labels[i] % PALETTE.length];
  return out;
}
