// The agent may list the packages a run touched (our shell agent does, for zypper, apk and pacman,
// whose output we cannot parse reliably); a valid list wins over the parse, an invalid one does not.
import t, { type Test } from 'tap'
import { patchingSetup, runOf, trigger } from './patching-fixtures.js'

async function dryRun(t: Test, listed: unknown, output: string): Promise<unknown> {
  const { ctx, host, agent } = await patchingSetup(t)
  const res = await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_names: ['zlib', 'curl'], dry_run: true })
  t.equal(res.statusCode, 200)
  const id = (res.json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  const answer = await agent.post(id, { stage: 'dry_run_completed', output, packages_affected: listed })
  t.same(answer, { status: 200, body: { ok: true } })
  const run = await runOf(ctx, id)
  t.equal(run.status, 'validated')
  return run.packages_affected
}

const ZYPPER = 'The following 2 packages are going to be upgraded:\n  curl zlib\n2 packages to upgrade.\n'

t.test("the agent's own list is stored, sorted and without repeats", async (t) => {
  t.same(await dryRun(t, ['zlib', 'curl', 'zlib'], ZYPPER), ['curl', 'zlib'])
})

t.test('without a list, apt output is parsed as before', async (t) => {
  t.same(await dryRun(t, undefined, 'Inst curl [8.5.0-1] (8.5.0-2 Debian:13/stable [amd64])\n'), ['curl'])
})

t.test('a list holding a name the agent rule refuses is ignored for the parse', async (t) => {
  t.same(await dryRun(t, ['curl', '../etc/passwd'], 'Inst zlib1g [1:1.3] (1:1.3.1 Debian:13/stable [amd64])\n'), ['zlib1g'])
})
