// Outdated and security counts over a host's report history, drawn with uPlot (loaded on demand
// so the first page stays small). The table under it carries the same numbers for screen readers.
import { useEffect, useRef } from 'preact/hooks'

export interface HistoryPoint {
  at: number
  outdated: number
  security: number
}

export function HistoryChart({ points }: { points: HistoryPoint[] }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || points.length < 2) return
    let chart: { destroy(): void } | undefined
    let gone = false
    void import('uplot').then(({ default: UPlot }) => {
      if (gone) return
      const css = getComputedStyle(document.documentElement)
      const color = (name: string) => css.getPropertyValue(name).trim()
      const sorted = [...points].sort((a, b) => a.at - b.at)
      chart = new UPlot(
        {
          width: Math.max(280, el.clientWidth),
          height: 220,
          series: [{}, { label: 'Outdated', stroke: color('--accent'), width: 2 }, { label: 'Security', stroke: color('--bad'), width: 2 }],
          // Counts are whole numbers starting at zero: integer ticks only, y axis from 0.
          axes: [
            { stroke: color('--muted'), grid: { stroke: color('--line') } },
            { stroke: color('--muted'), grid: { stroke: color('--line') }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }
          ],
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } }
        },
        [sorted.map((p) => p.at / 1000), sorted.map((p) => p.outdated), sorted.map((p) => p.security)],
        el
      )
    })
    return () => {
      gone = true
      chart?.destroy()
    }
  }, [points])
  if (points.length < 2) return <p class="muted">The chart appears after the second report.</p>
  return <div ref={box} class="chart" role="img" aria-label="Outdated and security updates per report" />
}
