// Browser steps for the Add Destination form's other channel types (called from
// dashboard-browser.test.ts): an e-mail destination that first gets the API's 400 in the form, an
// ntfy destination, and an edit that changes a field without retyping the SMTP password.
import type { Test } from 'tap'
import { bearer } from '../helpers/test-app.js'
import type { BrowserSession } from '../helpers/browser-session.js'
import { findDestination } from '../../src/notifications/destination-store.js'

interface DestinationJson {
  id: string
  channel_type: string
  display_name: string
  config: Record<string, unknown>
}

const SMTP_PASSWORD = 'smtp-password-from-the-browser'
const NTFY_TOKEN = 'tk_browser_test_token_0123456789'

export async function destinationFormSteps(t: Test, s: BrowserSession, open: (path: string, title: string) => Promise<void>) {
  const { page } = s
  const listed = async () => {
    const res = await s.ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/destinations', headers: bearer(s.ctx.adminToken) })
    return res.json() as DestinationJson[]
  }
  const row = (name: string) => page.getByRole('listitem').filter({ hasText: name })

  await t.test("Add Destination: an e-mail (SMTP) destination, with the API's validation error shown in the form", async (t) => {
    await open('/settings/alert-channels', 'Alert Channels')
    await page.getByRole('button', { name: 'Add Destination' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Channel type').selectOption('email')
    t.equal(await dialog.getByLabel('SMTP port').inputValue(), '587', 'port defaults to 587')
    t.equal(await dialog.getByLabel('Encryption').inputValue(), 'starttls', 'STARTTLS by default')
    t.equal(await dialog.getByLabel('SMTP password').getAttribute('type'), 'password', 'the password is a password field')
    await dialog.getByLabel('Display Name').fill('Ops mail')
    await dialog.getByLabel('SMTP host').fill('smtp.example.com')
    await dialog.getByLabel('SMTP username').fill('mailer')
    await dialog.getByLabel('SMTP password').fill(SMTP_PASSWORD)
    await dialog.getByLabel('From address').fill('patchmon@example.com')
    await dialog.getByLabel('Recipients').fill('not-an-address')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Recipient addresses (to) are required and must be valid e-mail addresses' })
      .waitFor()
    t.pass("the API's 400 message is shown in the form")
    await s.shot('alert-channels-email-form')
    await dialog.getByLabel('Recipients').fill('ops@example.com, admin@example.com')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await row('Ops mail').getByText('smtp.example.com:587 → ops@example.com, admin@example.com').waitFor()
    const mail = (await listed()).find((d) => d.display_name === 'Ops mail')
    t.equal(mail?.channel_type, 'email')
    t.same(mail?.config, {
      host: 'smtp.example.com',
      port: 587,
      username: 'mailer',
      has_password: true,
      from: 'patchmon@example.com',
      from_name: null,
      to: ['ops@example.com', 'admin@example.com'],
      tls_mode: 'starttls'
    })
  })

  await t.test('Add Destination: an ntfy destination with an access token', async (t) => {
    await page.getByRole('button', { name: 'Add Destination' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Channel type').selectOption('ntfy')
    t.equal(await dialog.getByLabel('ntfy server URL').inputValue(), 'https://ntfy.sh', 'the public server by default')
    await dialog.getByLabel('Display Name').fill('Phone (ntfy)')
    await dialog.getByLabel('Topic').fill('patchmon-browser-alerts')
    await dialog.getByLabel('Access token').fill(NTFY_TOKEN)
    await dialog.getByLabel('Priority (1–5)').fill('4')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await row('Phone (ntfy)').getByText('topic pat•••• on https://ntfy.sh').waitFor()
    const ntfy = (await listed()).find((d) => d.display_name === 'Phone (ntfy)')
    t.equal(ntfy?.channel_type, 'ntfy')
    t.same(ntfy?.config, {
      server_url: 'https://ntfy.sh',
      topic: 'pat••••',
      username: null,
      has_token: true,
      has_password: false,
      priority: 4
    })
    const stored = await findDestination(s.ctx.store.db, s.ctx.app.secretBox, ntfy!.id)
    t.same(
      stored?.config,
      { server_url: 'https://ntfy.sh', topic: 'patchmon-browser-alerts', token: NTFY_TOKEN, priority: 4 },
      'stored as typed'
    )
  })

  await t.test('editing the e-mail destination shows its fields, not its password, and keeps the password', async (t) => {
    await row('Ops mail').getByRole('button', { name: 'Edit' }).click()
    const dialog = page.getByRole('dialog')
    t.ok(await dialog.getByLabel('Channel type').isDisabled(), 'the type cannot be changed')
    t.equal(await dialog.getByLabel('Channel type').inputValue(), 'email')
    t.equal(await dialog.getByLabel('SMTP host').inputValue(), 'smtp.example.com')
    t.equal(await dialog.getByLabel('Recipients').inputValue(), 'ops@example.com, admin@example.com')
    t.equal(await dialog.getByLabel('SMTP password').inputValue(), '', 'the password is not shown back')
    t.equal(await dialog.getByLabel('SMTP password').getAttribute('placeholder'), 'unchanged')
    await dialog.getByLabel('SMTP port').fill('2525')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await row('Ops mail').getByText('smtp.example.com:2525 →', { exact: false }).waitFor()
    const mail = (await listed()).find((d) => d.display_name === 'Ops mail')
    t.equal(mail?.config.port, 2525)
    t.equal(mail?.config.has_password, true, 'has_password still true')
    const stored = await findDestination(s.ctx.store.db, s.ctx.app.secretBox, mail!.id)
    t.equal(stored?.config.password, SMTP_PASSWORD, 'the saved password was kept, not cleared or replaced')
    t.notOk((await page.content()).includes(SMTP_PASSWORD), 'no secret in the page')
    await s.shot('alert-channels-types')
  })
}
