/**
 * The charts (Chart.js, bundled into the page by `npm run build`: nothing is fetched from
 * elsewhere). Only the parts used are registered, so the bundle stays small. Each chart's
 * canvas is an image with a text alternative; the figures are also given as a table.
 */
import { BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, LinearScale, Tooltip } from 'chart.js';
import { reais, reaisShort, count } from './format.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.color = '#3b4252';
// A person who asked for less motion gets charts drawn at once.
if (matchMedia('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;

export const COLORS = { money: '#2f6db5', category: '#2d8a6e', customers: '#b5642f', customer: '#7a4fb0' } as const;

export interface BarChartSpec {
  labels: readonly string[];
  values: readonly number[];
  color: string;
  /** money: reais on the axis and in tooltips; count: whole numbers. */
  unit: 'money' | 'count';
  /** Bars along the y axis (long labels, e.g. categories). */
  horizontal?: boolean;
  /** What the chart shows, for screen readers (the canvas is an image). */
  description: string;
}

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draws (or redraws) a bar chart on `canvas`. */
export function barChart(canvas: HTMLCanvasElement, spec: BarChartSpec): Chart {
  charts.get(canvas)?.destroy();
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', spec.description);
  canvas.textContent = spec.description;
  const format = spec.unit === 'money' ? reais : count;
  const tick = spec.unit === 'money' ? reaisShort : count;
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const config: ChartConfiguration<'bar', number[], string> = {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: [{ data: [...spec.values], backgroundColor: spec.color, borderRadius: 3, maxBarThickness: 48 }] },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      plugins: { tooltip: { callbacks: { label: (item) => format(item.parsed[valueAxis] ?? 0) } } },
      scales: {
        [valueAxis]: { beginAtZero: true, ticks: { callback: (value: string | number) => tick(Number(value)) } },
        [spec.horizontal ? 'y' : 'x']: { grid: { display: false }, ticks: { autoSkip: false } },
      },
    },
  };
  const chart = new Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}
