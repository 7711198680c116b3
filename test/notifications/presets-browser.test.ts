// The notification presets in a real browser (Debian's chromium via playwright-core): an admin adds
// a Telegram and a Matrix destination in Settings → Alert Channels, with the form's help text, and
// presses "Send test" on each; a local receiver on 127.0.0.1 stands in for api.telegram.org (the
// app's Telegram address is pointed at it in process) and for the Matrix homeserver (typed in the
// form). Secrets are never shown back.
import t from 'tap'
import { ADMIN_PASSWORD } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { startWebhookReceiver } from './helpers/webhook-receiver.js'
import { MATRIX_TOKEN, TELEGRAM_TOKEN } from './helpers/preset-destinations.js'

ensureDashboardBuilt()

t.test('adding Telegram and Matrix destinations and sending a test to each', { skip: chromiumMissing, timeout: 120_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base } = s
  const receiver = await startWebhookReceiver()
  t.teardown(() => receiver.close())
  s.ctx.app.notifications.endpoints.telegram = receiver.url
  const row = (name: string) => page.getByRole('listitem').filter({ hasText: name })
  /** The request a Send test click produced (the reply comes after the first attempt, so it is there by then). */
  const sendTest = async (name: string, status: string) => {
    const before = receiver.requests.length
    await row(name).getByRole('button', { name: 'Send test' }).click()
    for (let i = 0; i < 300 && receiver.requests.length === before; i++) await new Promise((r) => setTimeout(r, 50))
    await page.getByRole('status').filter({ hasText: status }).waitFor()
    return receiver.requests.at(-1)!
  }

  await page.goto(`${base}/settings/alert-channels`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Alert Channels' }).waitFor()

  await t.test('Telegram: the form explains where the values come from; Send test reaches the Bot API', async (t) => {
    await page.getByRole('button', { name: 'Add Destination' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Channel type').selectOption('telegram')
    await dialog.getByText('message @BotFather, send /newbot').waitFor()
    await dialog.getByText('getUpdates').waitFor()
    t.equal(await dialog.getByLabel('Bot token').getAttribute('type'), 'password', 'the token is a password field')
    await dialog.getByLabel('Display Name').fill('Ops Telegram')
    await dialog.getByLabel('Bot token').fill(TELEGRAM_TOKEN)
    await dialog.getByLabel('Chat ID').fill('my group')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.getByRole('alert').filter({ hasText: 'Telegram chat id must be a number' }).waitFor()
    t.pass("the API's 400 is shown in the form")
    await dialog.getByLabel('Chat ID').fill('-1001234567890')
    await dialog.getByLabel('Topic (message thread) ID').fill('7')
    await s.shot('alert-channels-telegram-form')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    await row('Ops Telegram').getByText('chat -1001234567890, topic 7').waitFor()

    receiver.script({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })
    const sent = await sendTest('Ops Telegram', 'Test notification sent')
    t.equal(sent.method, 'POST')
    t.equal(sent.url, `/bot${TELEGRAM_TOKEN}/sendMessage`)
    t.match(sent.json, { chat_id: '-1001234567890', message_thread_id: 7, parse_mode: 'HTML', text: /PatchMon test notification/ })
  })

  await t.test('Matrix: homeserver, token and room; Send test PUTs the event; a refusal is explained', async (t) => {
    await page.getByRole('button', { name: 'Add Destination' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Channel type').selectOption('matrix')
    await dialog.getByText('Help & About → Access Token').waitFor()
    await dialog.getByText('Internal room ID').waitFor()
    await dialog.getByLabel('Display Name').fill('Ops Matrix')
    await dialog.getByLabel('Homeserver URL').fill(receiver.url)
    await dialog.getByLabel('Access token').fill(MATRIX_TOKEN)
    await dialog.getByLabel('Room ID').fill('!opsRoom:example.org')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    await row('Ops Matrix').getByText(`!opsRoom:example.org on ${receiver.url}`).waitFor()

    receiver.script({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"event_id":"$1"}' })
    const sent = await sendTest('Ops Matrix', 'Test notification sent')
    t.equal(sent.method, 'PUT')
    t.match(sent.url, /^\/_matrix\/client\/v3\/rooms\/!opsRoom%3Aexample\.org\/send\/m\.room\.message\/[0-9a-f-]{36}$/)
    t.equal(sent.headers.authorization, `Bearer ${MATRIX_TOKEN}`)
    t.match(sent.json, { msgtype: 'm.text', format: 'org.matrix.custom.html', body: /PatchMon test notification/ })

    // A loopback homeserver's reply body is never shown (outbound policy): the status alone explains it.
    receiver.script({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"errcode":"M_UNKNOWN_TOKEN"}' })
    const refusal = 'HTTP 401: Unauthorized — the access token was refused (logged out or revoked); create a new one'
    await sendTest('Ops Matrix', refusal)
    t.match(await page.getByRole('status').filter({ hasText: refusal }).getAttribute('class'), /note-warn/, 'shown as a warning')
    await s.shot('alert-channels-presets')
  })

  await t.test('editing shows the saved values but never the secrets', async (t) => {
    await row('Ops Telegram').getByRole('button', { name: 'Edit' }).click()
    const dialog = page.getByRole('dialog')
    t.equal(await dialog.getByLabel('Chat ID').inputValue(), '-1001234567890')
    t.equal(await dialog.getByLabel('Bot token').inputValue(), '', 'the token is not shown back')
    t.equal(await dialog.getByLabel('Bot token').getAttribute('placeholder'), 'unchanged')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    const html = await page.content()
    t.notOk(html.includes(TELEGRAM_TOKEN) || html.includes(MATRIX_TOKEN), 'no secret in the page')
  })

  t.same(s.consoleErrors, [], 'no script errors or CSP violations in the browser console')
})
