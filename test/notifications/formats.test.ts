// Pure format rules: URL detection, colours, Discord limits, report excerpts.
import t from 'tap'
import { detectWebhookFormat } from '../../src/notifications/providers/webhook-config.js'
import { discordBody, severityColour } from '../../src/notifications/providers/discord.js'
import { redactUrl, retryAfterMs, truncate } from '../../src/notifications/providers/delivery-http.js'
import { htmlToText } from '../../src/notifications/html-text.js'
import type { AlertNotice } from '../../src/notifications/notice.js'

t.test('Discord is detected by host and /api/webhooks/ path, whatever the scheme', async (t) => {
  const cases: Array<[string, string]> = [
    ['https://discord.com/api/webhooks/1/abc', 'discord'],
    ['http://discord.com/api/webhooks/1/abc', 'discord'],
    ['https://discordapp.com/api/webhooks/1/abc', 'discord'],
    ['https://www.discord.com/api/webhooks/1/abc', 'discord'],
    ['https://DISCORD.com/api/webhooks/1/abc', 'discord'],
    ['https://discord.com/api/v10/webhooks/1/abc', 'generic'],
    ['https://discord.co/api/webhooks/1/abc', 'generic'],
    ['https://discord.com/webhooks/1/abc', 'generic'],
    ['https://canary.discord.com/api/webhooks/1/abc', 'generic'],
    ['https://evil.example/api/webhooks/discord.com', 'generic'],
    ['https://hooks.slack.com/services/T0/B0/xyz', 'slack'],
    ['https://hooks.slack.com/other/T0', 'generic'],
    ['https://chat.example.org/hooks/abcdefghijklmnopqrstu', 'slack'],
    ['https://team.atlassian.net/hooks/abcdefghijklmnopqrstu', 'generic'],
    ['https://example.org/webhook', 'generic'],
    ['not a url', 'generic']
  ]
  for (const [url, format] of cases) t.equal(detectWebhookFormat(url), format, url)
})

t.test('embed colour follows severity: critical red, error orange, warning yellow, informational blue, else grey', async (t) => {
  t.same(
    ['critical', 'error', 'warning', 'informational', 'debug', ''].map(severityColour),
    [15548997, 15105570, 16776960, 3447003, 9807270, 9807270]
  )
})

t.test('Discord limits are met by truncation, not failure', async (t) => {
  const notice: AlertNotice = {
    kind: 'alert',
    eventType: 'host_went_down',
    severity: 'critical',
    title: 'T'.repeat(400),
    message: 'M'.repeat(9000),
    fields: Array.from({ length: 30 }, (_, i) => ({ name: `N${i}`.repeat(100), value: 'V'.repeat(2000) })),
    timestamp: '2026-01-01T00:00:00.000Z'
  }
  const embed = (
    discordBody(notice) as {
      embeds: Array<{ title: string; description: string; fields: Array<{ name: string; value: string }>; footer: { text: string } }>
    }
  ).embeds[0]!
  t.equal(embed.title.length, 256)
  t.ok(embed.title.endsWith('…'))
  t.equal(embed.fields.length, 25)
  t.ok(embed.fields.every((f) => f.name.length <= 256 && f.value.length <= 1024))
  t.ok(embed.description.length <= 4096)
  // 25 fields of 1024 alone exceed 6000: the description gives way, it never grows past 1 character.
  const small = { ...notice, fields: notice.fields.slice(0, 3).map((f) => ({ name: 'n', value: f.value })) }
  const e2 = (
    discordBody(small) as {
      embeds: Array<{ title: string; description: string; fields: Array<{ name: string; value: string }>; footer: { text: string } }>
    }
  ).embeds[0]!
  const total =
    e2.title.length + e2.description.length + e2.footer.text.length + e2.fields.reduce((n, f) => n + f.name.length + f.value.length, 0)
  t.ok(total <= 6000, `total ${total} within 6000`)
  t.equal(e2.description.length, 6000 - 256 - 8 - 3 * (1 + 1024))
  t.equal(truncate('abc', 3), 'abc')
})

t.test('report excerpts drop tags and whole <script> blocks', async (t) => {
  const text = htmlToText(
    '<h1>Report &amp; more</h1><script>alert("x")</script><p>Line <b>one</b></p><style>p{}</style><ul><li>a</li><li>b</li></ul><script src=x>'
  )
  t.equal(text, 'Report & more\nLine one\na\nb')
  t.notMatch(text, /alert|<|p\{\}/)
})

t.test('failure lines never contain the URL or its path', async (t) => {
  const url = 'http://discord.com/api/webhooks/123456789/secretTOKENvalue?wait=true'
  const line = redactUrl(`connect to ${url} failed; path /api/webhooks/123456789/secretTOKENvalue`, url)
  t.notMatch(line, /secretTOKENvalue|123456789/)
})

t.test('Retry-After is read from the header (seconds or date) or Discord JSON retry_after', async (t) => {
  t.equal(retryAfterMs(new Headers({ 'retry-after': '1.5' }), ''), 1500)
  t.equal(retryAfterMs(new Headers(), '{"retry_after": 0.25, "global": false}'), 250)
  t.equal(retryAfterMs(new Headers(), 'nope'), undefined)
})
