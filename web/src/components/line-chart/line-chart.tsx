import { useEffect, useState } from 'preact/hooks'
import './line-chart.css'

/** One named line of values, one value per x step (x = index + x0). */
export type Series = { name: string; values: number[] }

const COLORS = ['#0b5cad', '#c62828', '#2e7d32', '#ef6c00']
const W_SHORT = 640
const W_LONG = 960
/** on a phone the plot is drawn at about the width it is shown at, so its 11 px text stays 11 px */
const W_PHONE = 360
const NARROW = '(max-width: 700px)'
/** beyond this many points per line the chart draws lines without a marker per point */
const MAX_MARKED_POINTS = 90
const H = 240
const H_PHONE = 220
const PAD = { left: 48, right: 12, top: 12, bottom: 34 }
const PAD_PHONE = { left: 36, right: 10, top: 10, bottom: 34 }

/** A "nice" upper bound for the y axis: 1, 2 or 5 × a power of ten, at least max. */
function niceMax(max: number): number {
  if (max <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(max))
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p
}

/** True while the screen is phone-narrow; follows rotation and resizing. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(NARROW).matches)
  useEffect(() => {
    const m = matchMedia(NARROW)
    const on = () => setNarrow(m.matches)
    m.addEventListener('change', on)
    return () => m.removeEventListener('change', on)
  }, [])
  return narrow
}

/**
 * A small inline SVG line chart: x and y axes with ticks, one polyline per series (with a point per
 * value whose tooltip reads the value), and a legend with the series names. With `labels` (one per x step,
 * e.g. dates) the x ticks and tooltips read those instead of step numbers; `tickLabel` may shorten a tick's.
 */
export function LineChart({
  series,
  x0 = 0,
  labels,
  tickLabel = (s) => s,
  xLabel,
  yLabel,
  title,
  peakLabel = 'max',
}: {
  series: Series[]
  x0?: number
  labels?: string[]
  tickLabel?: (label: string) => string
  xLabel: string
  yLabel: string
  title: string
  peakLabel?: string
}) {
  const narrow = useNarrow()
  const n = Math.max(0, ...series.map((s) => s.values.length))
  // Long runs (up to a year): a wider plot, thinner lines, ticks every 30 days, and no point markers
  // (365 per line would merge into a band); each line's tooltip then gives its peak.
  const long = n > MAX_MARKED_POINTS
  const W = narrow ? W_PHONE : long ? W_LONG : W_SHORT
  const Hh = narrow ? H_PHONE : H
  const pad = narrow ? PAD_PHONE : PAD
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)))
  const iw = W - pad.left - pad.right
  const ih = Hh - pad.top - pad.bottom
  const x = (i: number) => pad.left + (n <= 1 ? iw / 2 : (i * iw) / (n - 1))
  const y = (v: number) => pad.top + ih - (v / top) * ih
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top)
  // a phone has room for about five tick labels; a desktop for ten (a year: one a month)
  const step = narrow ? Math.max(1, Math.ceil(n / 5)) : long ? 30 : Math.max(1, Math.ceil(n / 10))
  // the last step gets a tick of its own unless it would crowd the one before (364 beside 360)
  const xTicks = Array.from({ length: n }, (_, i) => i).filter((i) => i % step === 0 || (i === n - 1 && i % step >= step / 2))
  const at = (i: number) => labels?.[i] ?? String(i + x0)
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))
  return (
    <figure class={narrow ? 'line-chart narrow' : 'line-chart'}>
      <svg viewBox={`0 0 ${W} ${Hh}`} role="img" aria-label={title}>
        <title>{title}</title>
        {yTicks.map((v) => (
          <g key={`y${v}`} class="tick">
            <line x1={pad.left} x2={W - pad.right} y1={y(v)} y2={y(v)} class="grid" />
            <text x={pad.left - 6} y={y(v) + 4} text-anchor="end">
              {fmt(v)}
            </text>
          </g>
        ))}
        {xTicks.map((i) => (
          <text key={`x${i}`} class="tick" data-x={i + x0} x={x(i)} y={Hh - pad.bottom + 16} text-anchor={i === n - 1 && n > 1 ? 'end' : 'middle'}>
            {tickLabel(at(i))}
          </text>
        ))}
        <line class="axis" x1={pad.left} x2={pad.left} y1={pad.top} y2={pad.top + ih} />
        <line class="axis" x1={pad.left} x2={W - pad.right} y1={pad.top + ih} y2={pad.top + ih} />
        <text class="axis-label" x={pad.left + iw / 2} y={Hh - 4} text-anchor="middle">
          {xLabel}
        </text>
        <text class="axis-label" x={12} y={pad.top + ih / 2} text-anchor="middle" transform={`rotate(-90 12 ${pad.top + ih / 2})`}>
          {yLabel}
        </text>
        {series.map((s, k) => (
          <g key={s.name} class="series" data-series={s.name}>
            <polyline
              fill="none"
              stroke={COLORS[k % COLORS.length]}
              stroke-width={long ? 1.25 : 2}
              stroke-linejoin="round"
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            >
              {long && <title>{`${s.name} · ${peakLabel} ${fmt(Math.max(0, ...s.values))}`}</title>}
            </polyline>
            {!long &&
              s.values.map((v, i) => (
                <circle key={i} cx={x(i)} cy={y(v)} r={narrow ? 2 : 2.5} fill={COLORS[k % COLORS.length]}>
                  <title>{`${s.name} · ${at(i)}: ${fmt(v)}`}</title>
                </circle>
              ))}
          </g>
        ))}
      </svg>
      <figcaption class="legend-list">
        {series.map((s, k) => (
          <span key={s.name} class="legend-item">
            <span class="swatch" style={{ background: COLORS[k % COLORS.length] }} /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
