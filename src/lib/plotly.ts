/** Plotly, loaded on first use (it is the largest dependency: keep it out of the first paint). */
let plotly: Promise<any> | null = null;

export function loadPlotly(): Promise<any> {
  plotly ??= import('plotly.js-dist-min').then((m: any) => m.default ?? m);
  return plotly;
}
