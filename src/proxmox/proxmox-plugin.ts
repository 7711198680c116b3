// Agentless Proxmox collection as a server job (PATCHMON_PROXMOX_COLLECT=true, off by default), for
// a server that runs on the Proxmox host itself: the same run as `patchmon proxmox-collect`, on a
// timer, reporting to this server over loopback HTTP (the agents' ingest path, not a shortcut into
// the hosts tables). pct needs root, so this only works when the server runs as root there
// (docs/proxmox.md); the timer unit is the usual way.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { AddressInfo } from 'node:net'
import { loadCollectConfig } from './collect-config.js'
import { collectFromProxmox } from './collect-run.js'

export const PROXMOX_COLLECT_TIMER = 'proxmox-collect'

/** This server as seen from the same machine. */
function ownUrl(app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo | null
  const host = !address || address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address?.port ?? app.config.port}`
}

async function proxmoxCollectPlugin(app: FastifyInstance): Promise<void> {
  const settings = app.config.proxmoxCollect
  if (!settings.enabled) return
  app.timers.add({
    name: PROXMOX_COLLECT_TIMER,
    everyMs: settings.everyMinutes * 60_000,
    runOnStart: true,
    run: async () => {
      const config = loadCollectConfig(process.env, ['--config', settings.configFile], { PATCHMON_URL: ownUrl(app) })
      for (const w of config.warnings) app.log.warn({ job: PROXMOX_COLLECT_TIMER }, w)
      const summary = await collectFromProxmox(config, (level, line) =>
        level === 'ERROR' || level === 'WARN'
          ? app.log.warn({ job: PROXMOX_COLLECT_TIMER }, line)
          : app.log.info({ job: PROXMOX_COLLECT_TIMER }, line)
      )
      app.log.info(
        {
          job: PROXMOX_COLLECT_TIMER,
          found: summary.found,
          reported: summary.reported,
          enrolled: summary.enrolled,
          skipped: summary.skipped,
          failed: summary.failed.length
        },
        'proxmox collection finished'
      )
    }
  })
}

export default fp(proxmoxCollectPlugin, { name: 'proxmox-collect', dependencies: ['app-context'] })
