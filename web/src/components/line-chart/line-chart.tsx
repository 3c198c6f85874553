/** One named line of values, one value per x step (x = index + x0). */
export type Series = { name: string; values: number[] }

const COLORS = ['#0b5cad', '#c62828', '#2e7d32', '#ef6c00']
const W_SHORT = 640
const W_LONG = 960
/** beyond this many points per line the chart draws lines without a marker per point */
const MAX_MARKED_POINTS = 90
const H = 240
const PAD = { left: 48, right: 12, top: 12, bottom: 34 }

/** A "nice" upper bound for the y axis: 1, 2 or 5 × a power of ten, at least max. */
function niceMax(max: number): number {
  if (max <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(max))
  return ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p)
}

/**
 * A small inline SVG line chart: x and y axes with ticks, one polyline per series (with a point per
 * value whose tooltip reads the value), and a legend with the series names.
 */
export function LineChart({ series, x0 = 0, xLabel, yLabel, title }: { series: Series[]; x0?: number; xLabel: string; yLabel: string; title: string }) {
  const n = Math.max(0, ...series.map((s) => s.values.length))
  // Long runs (up to a year): a wider plot, thinner lines, ticks every 30 days, and no point markers
  // (365 per line would merge into a band); each line's tooltip then gives its peak.
  const long = n > MAX_MARKED_POINTS
  const W = long ? W_LONG : W_SHORT
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)))
  const iw = W - PAD.left - PAD.right
  const ih = H - PAD.top - PAD.bottom
  const x = (i: number) => PAD.left + (n <= 1 ? iw / 2 : (i * iw) / (n - 1))
  const y = (v: number) => PAD.top + ih - (v / top) * ih
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top)
  const step = long ? 30 : Math.max(1, Math.ceil(n / 10))
  // the last day gets a tick of its own unless it would crowd the one before (364 beside 360)
  const xTicks = Array.from({ length: n }, (_, i) => i).filter((i) => i % step === 0 || (i === n - 1 && i % step >= step / 2))
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))
  return (
    <figure class="line-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <title>{title}</title>
        {yTicks.map((v) => (
          <g key={`y${v}`} class="tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} class="grid" />
            <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">{fmt(v)}</text>
          </g>
        ))}
        {xTicks.map((i) => (
          <text key={`x${i}`} class="tick" x={x(i)} y={H - PAD.bottom + 16} text-anchor="middle">{i + x0}</text>
        ))}
        <line class="axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + ih} />
        <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + ih} y2={PAD.top + ih} />
        <text class="axis-label" x={PAD.left + iw / 2} y={H - 4} text-anchor="middle">{xLabel}</text>
        <text class="axis-label" x={12} y={PAD.top + ih / 2} text-anchor="middle" transform={`rotate(-90 12 ${PAD.top + ih / 2})`}>{yLabel}</text>
        {series.map((s, k) => (
          <g key={s.name} class="series" data-series={s.name}>
            <polyline fill="none" stroke={COLORS[k % COLORS.length]} stroke-width={long ? 1.25 : 2} stroke-linejoin="round" points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}>
              {long && <title>{`${s.name} · max ${fmt(Math.max(0, ...s.values))}`}</title>}
            </polyline>
            {!long && s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill={COLORS[k % COLORS.length]}>
                <title>{`${s.name} · ${xLabel} ${i + x0}: ${fmt(v)}`}</title>
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
