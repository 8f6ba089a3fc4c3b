/**
 * Plotly figures of the Segments tab, built from the worker's answers (pure functions: no state, no DOM).
 * Every string from the data (column names, segment names) goes through plotText.
 */
import type { SegmentProfiles } from '../../workers/engine/segments/profiles.ts';
import type { SilhouetteGroups } from '../../workers/engine/segments/silhouette_groups.ts';
import { clusterColour, DIVERGING } from '../lib/palette.ts';
import { fmt, plotText } from '../lib/text.ts';


export function pct(v: number, digits = 3): string {
  return `${fmt(100 * v, digits)} %`;
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** "+1.23" / "−0.40": a z-score with its sign. */
export function fmtZ(z: number): string {
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(2)}`;
}

/**
 * The z-score profile heatmap (segments x features), colour = mean z-score, numbers = z-scores or original-unit
 * means; beside it, the segments' sizes as bars.
 */
export function heatmapFigure(p: SegmentProfiles, names: (label: number) => string, values: 'z' | 'mean') {
  const d = p.features.length;
  const k = p.labels.length;
  const rowName = (c: number) => plotText(shorten(`${p.labels[c]} · ${names(p.labels[c])}`, 34));
  const y = p.labels.map((_, c) => rowName(c));
  const z: number[][] = [];
  const text: string[][] = [];
  const hover: string[][] = [];
  let zmax = 1;
  for (let c = 0; c < k; c++) {
    z.push([]);
    text.push([]);
    hover.push([]);
    for (let j = 0; j < d; j++) {
      const v = p.z[c * d + j];
      zmax = Math.max(zmax, Math.abs(v));
      z[c].push(v);
      const mean = p.mean[c * d + j];
      text[c].push(values === 'z' ? fmtZ(v) : fmt(mean, 3));
      hover[c].push(
        `${plotText(names(p.labels[c]))}<br>${plotText(p.features[j])}<br>mean ${fmt(mean)} (population ${fmt(p.population.mean[j])})` +
          `<br>median ${fmt(p.median[c * d + j])} (population ${fmt(p.population.median[j])})<br>z-score ${fmtZ(v)}`,
      );
    }
  }
  zmax = Math.min(3, zmax);
  const data = [
    {
      type: 'heatmap',
      x: p.features.map(plotText),
      y,
      z,
      text,
      texttemplate: '%{text}',
      textfont: { size: d > 14 ? 10 : 11 },
      hovertext: hover,
      hoverinfo: 'text',
      colorscale: DIVERGING,
      zmid: 0,
      zmin: -zmax,
      zmax,
      xgap: 1,
      ygap: 1,
      showscale: false,
    },
    {
      type: 'bar',
      orientation: 'h',
      xaxis: 'x2',
      y,
      x: p.sizes,
      text: p.sizes.map((s, c) => `${fmt(s)} (${pct(p.shares[c], 2)})`),
      textposition: 'outside',
      cliponaxis: false,
      textfont: { size: 11, color: '#1d2633' },
      marker: { color: p.labels.map((l) => clusterColour(l)), opacity: 0.55 },
      hoverinfo: 'text',
      hovertext: p.sizes.map((s, c) => `${rowName(c)}: ${fmt(s)} customers, ${pct(p.shares[c])}`),
    },
  ];
  const layout = {
    margin: { l: 8 + 6.6 * Math.max(...y.map((s) => s.length)), r: 8, t: 24, b: 110 },
    xaxis: { domain: [0, 0.8], tickangle: -40, automargin: true, tickfont: { size: 11 } },
    xaxis2: {
      domain: [0.82, 1],
      range: [0, 2.4 * Math.max(...p.sizes)],
      showticklabels: false,
      showgrid: false,
      zeroline: false,
      title: { text: 'customers', font: { size: 11 } },
      side: 'top',
    },
    yaxis: { autorange: 'reversed', tickfont: { size: 11 } },
    showlegend: false,
  };
  return { data, layout, height: 150 + 44 * k };
}

/** One segment against the population: mean z-score of its most distinctive features, largest difference first. */
export function segmentBars(p: SegmentProfiles, c: number, top = 10) {
  const d = p.features.length;
  const order = Array.from({ length: d }, (_, j) => j)
    .sort((a, b) => Math.abs(p.z[c * d + b]) - Math.abs(p.z[c * d + a]))
    .slice(0, top)
    .reverse();
  const zs = order.map((j) => p.z[c * d + j]);
  const data = [
    {
      type: 'bar',
      orientation: 'h',
      y: order.map((j) => plotText(shorten(p.features[j], 26))),
      x: zs,
      marker: { color: zs.map((z) => (z >= 0 ? '#c0504d' : '#4f81bd')) },
      hoverinfo: 'text',
      hovertext: order.map(
        (j) => `${plotText(p.features[j])}<br>segment mean ${fmt(p.mean[c * d + j])}<br>population mean ${fmt(p.population.mean[j])}<br>z-score ${fmtZ(p.z[c * d + j])}`,
      ),
    },
  ];
  const layout = {
    margin: { l: 150, r: 10, t: 6, b: 30 },
    xaxis: { title: { text: 'standard deviations from the population mean', font: { size: 10 } }, zeroline: true, zerolinecolor: '#888', tickfont: { size: 10 } },
    yaxis: { tickfont: { size: 10 }, automargin: true },
    showlegend: false,
    bargap: 0.25,
  };
  return { data, layout, height: 40 + 19 * order.length };
}

/** The classic silhouette plot: each cluster's sorted values as a filled band, stacked, with the mean as a line. */
export function silhouetteFigure(s: SilhouetteGroups, names: (label: number) => string) {
  const total = s.groups.reduce((a, g) => a + g.size, 0);
  const gap = Math.max(2, Math.round(total * 0.02));
  // A small segment still gets a visible band (at least 4 % of the height).
  const band = (size: number) => Math.max(size, total * 0.04);
  let offset = 0;
  const ticks: { v: number; t: string }[] = [];
  const data = s.groups.map((g) => {
    const m = g.values.length;
    const h = band(g.size);
    const y = Array.from(g.values, (_, i) => offset + (m === 1 ? h / 2 : (i * h) / (m - 1)));
    ticks.push({ v: offset + h / 2, t: `segment ${g.label}` });
    offset += h + gap;
    return {
      type: 'scatter',
      mode: 'lines',
      x: Array.from(g.values),
      y,
      fill: 'tozerox',
      line: { color: clusterColour(g.label), width: 1 },
      fillcolor: clusterColour(g.label),
      hoverinfo: 'text',
      text: `${plotText(names(g.label))}: ${fmt(g.size)} customers, mean ${fmt(g.mean, 3)}, ${pct(g.negative_share, 2)} below 0`,
    };
  });
  const layout = {
    margin: { l: 8 + 6.4 * Math.max(10, ...ticks.map((t) => t.t.length)), r: 12, t: 10, b: 44 },
    xaxis: { title: { text: 'silhouette coefficient' }, range: [Math.min(-0.1, ...s.groups.map((g) => g.values[g.values.length - 1] - 0.05)), 1], zeroline: true },
    yaxis: { tickvals: ticks.map((t) => t.v), ticktext: ticks.map((t) => t.t), autorange: 'reversed', showgrid: false, tickfont: { size: 11 } },
    shapes: [{ type: 'line', x0: s.mean, x1: s.mean, y0: 0, y1: 1, yref: 'paper', line: { color: '#b42318', dash: 'dash', width: 1.5 } }],
    showlegend: false,
  };
  return { data, layout };
}
