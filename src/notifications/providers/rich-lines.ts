// A notice as lines of styled runs (bold, link), rendered as plain text or as escaped HTML for
// the chat services that show formatting (Telegram, Matrix). Cutting to a platform's limit
// happens on the visible text, before any markup exists, so a cut can never split a tag or an
// entity (Telegram rejects the whole message when its HTML does not parse).
import type { Notice } from '../notice.js'
import { escapeHtml } from '../html-text.js'

export interface Run {
  text: string
  bold?: boolean
  /** A link: the run's text is shown, the address is not counted against a visible-length limit. */
  href?: string
}

export type Line = Run[]

/** What is added where text was cut, so a reader knows something was left out. */
export const CUT_MARKER = '… (truncated)'

/** Title in bold, the message, one "Name: value" line per field, then the dashboard link. */
export function noticeLines(notice: Notice): Line[] {
  if (notice.kind === 'report') return [[{ text: notice.subject, bold: true }], ...notice.text.split('\n').map((text) => [{ text }])]
  const lines: Line[] = [[{ text: notice.title, bold: true }], ...notice.message.split('\n').map((text) => [{ text }])]
  if (notice.fields.length > 0) lines.push([])
  for (const f of notice.fields) lines.push([{ text: `${f.name}: `, bold: true }, { text: f.value }])
  if (notice.link) lines.push([], [{ text: 'Open in PatchMon', href: notice.link }])
  return lines
}

const lineLength = (line: Line) => line.reduce((n, run) => n + run.text.length, 0)

/** Visible characters (UTF-16 units, as the services count them), newlines included. */
export function visibleLength(lines: Line[]): number {
  return lines.reduce((n, line) => n + lineLength(line), 0) + Math.max(0, lines.length - 1)
}

/** Cuts text without leaving half of a surrogate pair (an emoji) at the end. */
function cutText(text: string, max: number): string {
  const cut = text.slice(0, Math.max(0, max))
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut
}

/** Keeps at most `max` visible characters: whole lines first, then part of the line that no longer fits, then the marker. */
export function fitLines(lines: Line[], max: number): Line[] {
  if (visibleLength(lines) <= max) return lines
  const room = max - CUT_MARKER.length
  const out: Line[] = []
  let used = 0
  for (const line of lines) {
    const sep = out.length > 0 ? 1 : 0
    if (used + sep + lineLength(line) > room) {
      let left = room - used - sep
      const partial: Line = []
      for (const run of line) {
        if (left <= 0 || run.href) break
        const text = cutText(run.text, left)
        partial.push({ ...run, text })
        left -= text.length
      }
      partial.push({ text: CUT_MARKER })
      out.push(partial)
      return out
    }
    out.push(line)
    used += sep + lineLength(line)
  }
  return out
}

export function plainText(lines: Line[]): string {
  return lines.map((line) => line.map((run) => (run.href ? `${run.text}: ${run.href}` : run.text)).join('')).join('\n')
}

function htmlRun(run: Run): string {
  const text = escapeHtml(run.text)
  if (run.href) return `<a href="${escapeHtml(run.href)}">${text}</a>`
  return run.bold && text ? `<b>${text}</b>` : text
}

/** HTML with the given line separator: "\n" for Telegram (it has no <br>), "<br>" for Matrix. */
export function htmlText(lines: Line[], separator: '\n' | '<br>'): string {
  return lines.map((line) => line.map(htmlRun).join('')).join(separator)
}
