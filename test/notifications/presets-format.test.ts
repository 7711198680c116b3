// Pure format rules of the presets: cutting styled lines, reports as lines, Apprise types, the
// retry hints of each service's reply shape, and failure lines that read well without a body
// (replies of non-public targets are never shown, so only the status is known).
import t from 'tap'
import { CUT_MARKER, fitLines, htmlText, noticeLines, plainText, visibleLength } from '../../src/notifications/providers/rich-lines.js'
import { retryAfterMs } from '../../src/notifications/providers/delivery-http.js'
import { appriseType, describeAppriseReply } from '../../src/notifications/providers/apprise.js'
import { describeMatrixReply } from '../../src/notifications/providers/matrix.js'
import { describeTelegramReply } from '../../src/notifications/providers/telegram.js'
import { describePushoverReply } from '../../src/notifications/providers/pushover.js'
import type { AlertNotice, ReportNotice } from '../../src/notifications/notice.js'

const alert = (over: Partial<AlertNotice> = {}): AlertNotice => ({
  kind: 'alert',
  eventType: 'host_went_down',
  severity: 'error',
  title: 'Host Down: web01',
  message: 'No report.',
  fields: [{ name: 'Host', value: 'web01' }],
  link: 'https://patchmon.example/hosts/1?a=1&b=2',
  timestamp: '2026-01-01T00:00:00.000Z',
  ...over
})

t.test('a link is shown by its text in HTML and with its address in plain text', async (t) => {
  const lines = noticeLines(alert())
  t.equal(
    htmlText(lines, '<br>'),
    '<b>Host Down: web01</b><br>No report.<br><br><b>Host: </b>web01<br><br><a href="https://patchmon.example/hosts/1?a=1&amp;b=2">Open in PatchMon</a>'
  )
  t.equal(plainText(lines), 'Host Down: web01\nNo report.\n\nHost: web01\n\nOpen in PatchMon: https://patchmon.example/hosts/1?a=1&b=2')
})

t.test('cutting keeps whole lines first, never splits an emoji, and marks the cut', async (t) => {
  const lines = noticeLines(alert({ message: `${'a'.repeat(10)}${'😀'.repeat(20)}`, fields: [], link: undefined }))
  const full = visibleLength(lines)
  t.same(fitLines(lines, full), lines, 'nothing cut when it fits')
  const cut = fitLines(lines, 16 + 1 + 11 + CUT_MARKER.length)
  t.equal(plainText(cut), `Host Down: web01\n${'a'.repeat(10)}${CUT_MARKER}`, 'the half emoji is dropped, not sent broken')
  t.ok(visibleLength(cut) <= 16 + 1 + 11 + CUT_MARKER.length)
})

t.test('a scheduled report becomes its subject in bold and its text lines', async (t) => {
  const report: ReportNotice = { kind: 'report', subject: 'Weekly <report>', html: '', text: 'a\nb', timestamp: '' }
  t.equal(htmlText(noticeLines(report), '\n'), '<b>Weekly &lt;report&gt;</b>\na\nb')
  t.equal(appriseType(report), 'info')
})

t.test('Apprise types: failure for critical and error, warning, info, success for good news', async (t) => {
  t.same(
    [
      appriseType(alert({ severity: 'critical' })),
      appriseType(alert()),
      appriseType(alert({ severity: 'warning' })),
      appriseType(alert({ severity: 'informational', eventType: 'host_enrolled' })),
      appriseType(alert({ severity: 'informational', eventType: 'host_came_up' }))
    ],
    ['failure', 'failure', 'warning', 'info', 'success']
  )
})

t.test("retry hints: Telegram's parameters.retry_after and Matrix's retry_after_ms", async (t) => {
  t.equal(retryAfterMs(new Headers(), '{"ok":false,"parameters":{"retry_after":3}}'), 3000)
  t.equal(retryAfterMs(new Headers(), '{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1500}'), 1500)
  t.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), '{"retry_after_ms":1500}'), 2000, 'the header wins')
})

t.test('without a reply body (non-public target) each failure still says what to check', async (t) => {
  t.equal(describeTelegramReply(401, ''), 'Unauthorized — the bot token was refused; copy it again from @BotFather')
  t.equal(describeTelegramReply(403, ''), 'Forbidden — the bot is not a member of the chat (add it, or for a private chat send it /start)')
  t.equal(describeMatrixReply(404, ''), 'Not Found — check the homeserver URL and the room id')
  t.equal(describePushoverReply(429, ''), 'Too Many Requests — the application has used up its monthly message allowance')
  t.equal(
    describeAppriseReply(424, ''),
    "Failed Dependency — Apprise could not deliver to one or more of its services; see the Apprise server's log"
  )
  t.equal(describeTelegramReply(500, 'upstream gone'), 'upstream gone', 'other replies are shown as they came')
})
