/**
 * Small line charts for the Admin metrics, drawn by uPlot (bundled into app.js: no CDN, works from file:// and
 * offline). The legend is the page's own, in the page's language; the chart itself is a canvas with a text
 * alternative (role="img" and a label that reads the latest values).
 */
import uPlot from 'uplot'
import { h } from './dom.js'

export interface ChartSeries {
  label: string
  values: (number | null)[]
}

const COLORS = ['#0b57d0', '#b3261e', '#8a5a00', '#1a7f37', '#6f42c1', '#57606a']
const HEIGHT = 130

function clock(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

function latest(values: readonly (number | null)[]): string {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i]
    if (v !== null && v !== undefined) return Number.isInteger(v) ? String(v) : v.toFixed(1)
  }
  return '–'
}

/**
 * A figure with a caption, the chart, and a legend of the series with their latest values. `width` is the space
 * available in CSS pixels (the chart follows the card's width, so it fits a phone).
 */
export function lineChart(opts: { id: string; title: string; xs: readonly number[]; series: readonly ChartSeries[]; width: number }): { el: HTMLElement; destroy(): void } {
  const legend = h('ul', { class: 'chart-legend' },
    opts.series.map((s, i) => h('li', { 'data-series': s.label },
      h('span', { class: 'swatch', 'data-color': String(i % COLORS.length) }), ' ', s.label, ' ', h('strong', { 'data-field': 'latest' }, latest(s.values)))))
  const summary = opts.series.map((s) => `${s.label} ${latest(s.values)}`).join('; ')
  const plot = h('div', { class: 'chart-plot', role: 'img', 'aria-label': `${opts.title}: ${summary}` })
  const el = h('figure', { class: 'chart', id: opts.id }, h('figcaption', null, opts.title), plot, legend)
  // The swatches' colours are set through the CSSOM (allowed by the page's style-src 'self'; a style attribute is not).
  legend.querySelectorAll<HTMLElement>('.swatch').forEach((sw) => { sw.style.background = COLORS[Number(sw.dataset['color'])]! })
  const u = new uPlot({
    width: Math.max(200, Math.floor(opts.width)),
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] } },
    axes: [
      // Ticks at whole steps of at least 5 s (the polling interval), so no two ticks read the same time.
      { values: (_u, splits) => splits.map((v) => clock(v)), incrs: [5, 10, 15, 30, 60, 120, 300, 600, 1800], space: 60, size: 28, font: '11px system-ui, sans-serif', ticks: { show: false } },
      { size: 40, font: '11px system-ui, sans-serif', ticks: { show: false } },
    ],
    series: [{}, ...opts.series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length]!, width: 2, points: { show: opts.xs.length < 3 } }))],
  }, [opts.xs as number[], ...opts.series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData, plot)
  return { el, destroy: () => u.destroy() }
}
