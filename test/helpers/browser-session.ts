// Starts the real app on 127.0.0.1 and Debian's chromium (driven by playwright-core, no browser
// download, a fresh profile) for the dashboard's browser test; saves screenshots per screen.
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { buildTestApp, type TestApp } from './test-app.js'

export const CHROMIUM = '/usr/bin/chromium'
const SHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots')

export interface BrowserSession {
  ctx: TestApp
  base: string
  context: BrowserContext
  page: Page
  /** Script errors and CSP violations seen so far (4xx answers of missing features excluded). */
  consoleErrors: string[]
  /** Saves test-artifacts/screenshots/<name>.png (desktop, or phone width with `phone`). */
  shot(name: string, phone?: boolean): Promise<void>
  /** True when the server has this route (features land on main at different times). */
  has(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string): boolean
}

export async function startBrowserSession(t: Test): Promise<BrowserSession> {
  // The alert journeys deliver to a local receiver: loopback must be on the outbound allow-list.
  const ctx = await buildTestApp(t, { env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1' } })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const profile = mkdtempSync(join(tmpdir(), 'patchmon-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ],
    viewport: { width: 1280, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
    timeout: 30_000
  })
  context.setDefaultTimeout(10_000)
  t.teardown(async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    // 4xx answers of features not installed yet are expected and shown in words on the page.
    if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  mkdirSync(SHOTS, { recursive: true })
  return {
    ctx,
    base,
    context,
    page,
    consoleErrors,
    async shot(name, phone = false) {
      if (phone) await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
      if (phone) await page.setViewportSize({ width: 1280, height: 860 })
    },
    has: (method, url) => ctx.app.hasRoute({ method, url })
  }
}

export const chromiumMissing = existsSync(CHROMIUM) ? false : `chromium is not installed (apt-get install -y chromium): ${CHROMIUM} missing`
