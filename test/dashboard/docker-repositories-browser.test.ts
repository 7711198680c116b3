// The Docker and Repositories screens in a real browser (Debian's chromium): the Docker screen's
// empty state says how to turn collection on; the host's Docker tab switch is what the agent is
// then told; inventories sent through the real agent endpoint show as containers (filters: state,
// updates, host, search), images and the stopped history; the Repositories screen flags insecure
// mirrors, filters to them and lists the hosts using one; the host page marks them too.
import t from 'tap'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { agentHeaders, agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'
import { agentUpdate, dockerPayload, postDocker, type ContainerSpec } from '../docker/docker-fixtures.js'

ensureDashboardBuilt()

const packages = [{ name: 'bash', currentVersion: '5.2.15-2', needsUpdate: false, isSecurityUpdate: false }]
const repo = (url: string, distribution: string) => ({
  name: `${new URL(url).hostname}`,
  url,
  distribution,
  components: 'main',
  repoType: 'deb',
  isEnabled: true,
  isSecure: url.startsWith('https://')
})

t.test('Docker and Repositories screens in a real browser', { skip: chromiumMissing, timeout: 240_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])
  const open = async (path: string, title: string | RegExp) => {
    await page.goto(base + path)
    await page.getByRole('heading', { level: 1, name: title }).waitFor()
  }
  const rows = (table: string) => page.getByRole('table', { name: table }).locator('tbody tr')
  const firstColumn = async (table: string) => (await rows(table).locator('td:first-child').allTextContents()).map((text) => text.trim())
  /** Waits until the table shows exactly these first-column texts (the old rows go first). */
  const waitForRows = async (table: string, expected: string[]) => {
    const deadline = Date.now() + 10_000
    let got: string[] = []
    while (Date.now() < deadline) {
      got = await firstColumn(table)
      if (JSON.stringify(got) === JSON.stringify(expected)) return
      await page.waitForTimeout(100)
    }
    throw new Error(`${table}: expected rows ${JSON.stringify(expected)}, saw ${JSON.stringify(got)} at ${page.url()}`)
  }

  const alpha = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const beta = await createHostViaApi(ctx.app, ctx.adminToken, 'beta')

  await t.test('the Docker screen starts empty and says how to turn collection on', async (t) => {
    await open('/', 'Overview')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Docker' }).click()
    await page.getByRole('heading', { level: 1, name: 'Docker' }).waitFor()
    const empty = page.getByText('No host reports Docker data yet')
    await empty.waitFor()
    t.match(await page.locator('main').innerText(), /Collect Docker data[\s\S]*systemctl restart patchmon-agent/)
    await s.shot('docker-empty')
  })

  await t.test("a host's Docker tab switch is what its agent is told", async (t) => {
    const integrations = async () =>
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/integrations', headers: agentHeaders(alpha) })).json().integrations.docker
    t.equal(await integrations(), false)
    await open(`/hosts/${alpha.id}`, 'alpha')
    await page.getByRole('tab', { name: 'Docker' }).click()
    const toggle = page.getByRole('switch', { name: 'Collect Docker data' })
    await toggle.waitFor()
    t.equal(await toggle.isChecked(), false)
    await toggle.check()
    await page.getByText('Docker collection is on').waitFor()
    t.equal(await integrations(), true, 'the agent is now told to collect Docker data')
  })

  const web = (state: ContainerSpec['state']): ContainerSpec => ({ id: 'c-web', name: 'web', image: 'nginx', tag: '1.27', state })
  const db: ContainerSpec = { id: 'c-db', name: 'db', image: 'postgres', tag: '16', state: 'running' }
  const cache: ContainerSpec = { id: 'c-cache', name: 'cache', image: 'redis', tag: '7', state: 'running' }
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('running'), db], [agentUpdate('postgres', '16', '17')]))
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('exited'), db], [agentUpdate('postgres', '16', '17')]))
  await postDocker(ctx, beta, dockerPayload('beta', [web('running'), cache]))

  await t.test('containers, their filters, images and the stopped history', async (t) => {
    await open('/docker', 'Docker')
    await waitForRows('Containers', ['web', 'cache', 'db', 'web'])
    const counts = await page.getByRole('region', { name: 'Docker counts' }).innerText()
    t.match(counts, /4\s*Containers/)
    t.match(counts, /3\s*Running/)
    t.match(counts, /1\s*Stopped/)
    t.match(await rows('Containers').first().innerText(), /web[\s\S]*alpha[\s\S]*nginx:1\.27[\s\S]*exited/, 'the stopped container first')
    await s.shot('docker-containers')

    await page.getByLabel('State').selectOption('running')
    await waitForRows('Containers', ['cache', 'db', 'web'])
    t.pass('state filter: running')
    await page.getByLabel('State').selectOption('')
    await page.getByRole('checkbox', { name: 'Updates available only' }).check()
    await waitForRows('Containers', ['db'])
    t.match(await rows('Containers').first().innerText(), /update: 17/)
    await page.getByRole('checkbox', { name: 'Updates available only' }).uncheck()
    await page.getByLabel('Host').selectOption({ label: 'beta' })
    await waitForRows('Containers', ['cache', 'web'])
    t.pass('host filter')
    await page.getByLabel('Host').selectOption('')
    await page.getByRole('searchbox', { name: 'Search' }).fill('redis')
    await page.getByRole('button', { name: 'Search' }).click()
    await waitForRows('Containers', ['cache'])
    t.pass('search by image')

    await page.goto(`${base}/docker?view=images`)
    await waitForRows('Images', ['postgres:16', 'nginx:1.27', 'redis:7'])
    t.match(
      await rows('Images').first().innerText(),
      /postgres:16\s+1\s+1[\s\S]*update: 17/,
      'updates first, with host and container counts'
    )
    t.match(await rows('Images').nth(1).innerText(), /nginx:1\.27\s+2\s+2/, 'nginx: two hosts, two containers')
    await s.shot('docker-images')

    await page.getByRole('tab', { name: 'Stopped history' }).click()
    await page.getByRole('table', { name: 'Images' }).waitFor({ state: 'detached' })
    await page.getByRole('table', { name: 'Stopped containers' }).waitFor()
    t.match(await rows('Stopped containers').first().innerText(), /web[\s\S]*alpha[\s\S]*nginx:1\.27[\s\S]*running → exited/)
    t.equal(await rows('Stopped containers').count(), 1)
    await s.shot('docker-history')

    await open(`/hosts/${beta.id}`, 'beta')
    await page.getByRole('tab', { name: 'Docker' }).click()
    await waitForRows('Containers', ['cache', 'web'])
    t.match(await page.locator('main').innerText(), /No container has stopped/, "beta's tab shows only beta")
  })

  await postReport(
    ctx,
    alpha,
    agentReport(packages, {
      repositories: [repo('https://deb.debian.org/debian', 'bookworm'), repo('http://mirror.example.net/debian', 'bookworm')]
    })
  )
  await postReport(ctx, beta, agentReport(packages, { repositories: [repo('https://deb.debian.org/debian', 'bookworm')] }))

  await t.test('repositories across the fleet, insecure flagged and filtered, with their hosts', async (t) => {
    await open('/', 'Overview')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Repositories' }).click()
    await page.getByRole('heading', { level: 1, name: 'Repositories' }).waitFor()
    await waitForRows('Repositories', ['http://mirror.example.net/debian insecure', 'https://deb.debian.org/debian'])
    t.match(await page.locator('main').innerText(), /2 repositories in use; 1 insecure/)
    t.match(await rows('Repositories').nth(1).innerText(), /bookworm main\s+deb\s+2/, 'two hosts use the Debian mirror')
    await s.shot('repositories')

    await page.getByRole('checkbox', { name: 'Insecure only' }).check()
    await waitForRows('Repositories', ['http://mirror.example.net/debian insecure'])
    await page.getByRole('link', { name: 'http://mirror.example.net/debian' }).click()
    await page.getByRole('heading', { level: 1, name: 'Repository' }).waitFor()
    await page.getByRole('table', { name: 'Hosts using this repository' }).waitFor()
    t.equal(await rows('Hosts using this repository').count(), 1, 'only alpha uses the http mirror')
    t.match(await page.locator('main').innerText(), /travel unencrypted/)

    await page.getByRole('link', { name: 'alpha' }).click()
    await page.getByRole('heading', { level: 1, name: 'alpha' }).waitFor()
    await page.getByRole('tab', { name: 'Repositories' }).click()
    await page.getByText('1 of 2 repositories are fetched over plain http:// or ftp://').waitFor()
    t.equal(await page.locator('[role=tabpanel] .badge', { hasText: 'insecure' }).count(), 1, 'the host page marks the http mirror')
  })

  t.same(s.consoleErrors, [], 'no script errors')
})
