// Daily trend lines (one value per UTC day, null = no figure that day) drawn with uPlot, loaded on
// demand like the report-history chart. A day the server missed is a gap, not a made-up value. The
// table under the chart (trend-panels.tsx) carries the latest figures for screen readers.
import { useEffect, useRef } from 'preact/hooks'

export interface TrendLine {
  label: string
  /** A CSS colour variable of the theme (--accent, --bad, ...). */
  color: string
  values: (number | null)[]
  /** Drawn against the right-hand axis (days rather than counts). */
  days?: boolean
}

const DAY_S = 86_400
const DAY_STEPS = [1, 2, 7, 14, 30, 61, 91, 182, 365].map((d) => d * DAY_S)
const utcDate = (s: number) => new Date(s * 1000).toISOString().slice(0, 10)

/** Day strings to uPlot's x values, with a null for every missing day between two stored ones. */
export function alignDays(days: string[], lines: TrendLine[]): { xs: number[]; lines: TrendLine[] } {
  const index = new Map(days.map((d, i) => [d, i]))
  const first = days[0]
  const last = days[days.length - 1]
  if (!first || !last) return { xs: [], lines }
  const xs: number[] = []
  for (let s = Date.parse(`${first}T00:00:00Z`) / 1000; s <= Date.parse(`${last}T00:00:00Z`) / 1000; s += DAY_S) xs.push(s)
  const at = (line: TrendLine, s: number) => {
    const i = index.get(new Date(s * 1000).toISOString().slice(0, 10))
    return i === undefined ? null : (line.values[i] ?? null)
  }
  return { xs, lines: lines.map((l) => ({ ...l, values: xs.map((s) => at(l, s)) })) }
}

export function TrendChart({ days, lines, label }: { days: string[]; lines: TrendLine[]; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || days.length === 0) return
    let chart: { destroy(): void } | undefined
    let gone = false
    void import('uplot').then(({ default: UPlot }) => {
      if (gone) return
      const css = getComputedStyle(document.documentElement)
      const color = (name: string) => css.getPropertyValue(name).trim()
      const aligned = alignDays(days, lines)
      const shown = aligned.lines.filter((l) => l.values.some((v) => v !== null))
      const axis = { stroke: color('--muted'), grid: { stroke: color('--line') } }
      chart = new UPlot(
        {
          width: Math.max(280, el.clientWidth),
          height: 240,
          series: [
            {},
            ...shown.map((l) => ({
              label: l.label,
              stroke: color(l.color),
              width: 2,
              scale: l.days ? 'days' : 'y',
              points: { show: aligned.xs.length < 3 }
            }))
          ],
          axes: [
            // Whole UTC days on the x axis, written as dates (the points are days, not instants).
            { ...axis, incrs: DAY_STEPS, values: (_u: unknown, splits: number[]) => splits.map(utcDate) },
            { ...axis, scale: 'y' },
            ...(shown.some((l) => l.days) ? [{ ...axis, scale: 'days', side: 1 as const, grid: { show: false }, label: 'days' }] : [])
          ],
          scales: {
            x: { time: true },
            y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
            days: { range: (_u, _min, max) => [0, Math.max(1, max)] }
          }
        },
        [aligned.xs, ...shown.map((l) => l.values)],
        el
      )
    })
    return () => {
      gone = true
      chart?.destroy()
    }
  }, [days, lines])
  return <div ref={box} class="chart" role="img" aria-label={label} data-trend-chart />
}
