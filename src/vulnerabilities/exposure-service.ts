// Keeps host_vulnerabilities current: a host's exposure is recomputed from its packages when a report
// changes them, and the whole fleet's after an import changed advisories. A host newly exposed to a
// known-exploited CVE gets one known_exploited_vulnerability event per (host, CVE), written to the
// outbox in the transaction that records the exposure and emitted after it commits.
import type { FastifyBaseLogger } from 'fastify'
import type { Store } from '../store/open-database.js'
import type { AppEvents } from '../events/app-events.js'
import { emitCommitted, writeOutbox, type OutboxEntry } from '../events/event-outbox.js'
import { withHostScope } from '../http/request-host-scope.js'
import { hostColumns } from '../hosts/host-queries.js'
import { hostListRows, hostPackageVersionRows } from '../hosts/host-read-queries.js'
import { feedNamesOf, matchExposures, type HostPackageVersions } from './exposure-match.js'
import { affectedCandidates, claimNotices, firstSeenOf, knownExploited, replaceHostExposure } from './exposure-queries.js'
import { hostDistro } from './host-distro.js'

export interface ExposureDeps {
  store: Store
  events: AppEvents
  log?: FastifyBaseLogger
}

export interface HostExposureOutcome {
  exposures: number
  /** known_exploited_vulnerability events emitted by this recompute */
  notices: number
}

async function computeAndStore(deps: ExposureDeps, hostId: string, now: Date): Promise<HostExposureOutcome> {
  const db = deps.store.db
  const host = await hostColumns(db, hostId, ['friendly_name', 'os_type', 'os_version'])
  if (!host) return { exposures: 0, notices: 0 }
  const where = hostDistro(host.os_type, host.os_version)
  const packages: HostPackageVersions[] = where
    ? (await hostPackageVersionRows(db, hostId)).map((p) => ({
        name: p.name,
        sourceName: p.source_name,
        currentVersion: p.current_version,
        availableVersion: p.available_version
      }))
    : []
  const names = where ? [...new Set(packages.flatMap((p) => feedNamesOf(where.distro, p)))] : []
  const candidates = where ? await affectedCandidates(db, where, names) : []
  const exposures = where ? matchExposures(where.distro, packages, candidates) : []
  const exploited = await knownExploited(db, [...new Set(exposures.map((e) => e.cveId))])
  const stamp = now.toISOString()
  const entries: OutboxEntry<'known_exploited_vulnerability'>[] = []
  await db.transaction().execute(async (trx) => {
    const firstSeen = await firstSeenOf(trx, hostId)
    await replaceHostExposure(trx, hostId, exposures, new Set(exploited.keys()), firstSeen, stamp)
    const fresh = new Set(await claimNotices(trx, hostId, [...exploited.keys()], stamp))
    for (const exposure of exposures) {
      const kev = exploited.get(exposure.cveId)
      if (!kev || !fresh.delete(exposure.cveId)) continue
      entries.push(
        await writeOutbox(
          trx,
          'known_exploited_vulnerability',
          {
            hostId,
            hostName: host.friendly_name,
            cveId: exposure.cveId,
            packageName: exposure.packageName,
            installedVersion: exposure.installedVersion,
            fixedVersion: exposure.fixedVersion,
            vulnerabilityName: kev.name,
            dateAdded: kev.dateAdded
          },
          now
        )
      )
    }
  })
  for (const entry of entries) emitCommitted(deps.events, entry)
  return { exposures: exposures.length, notices: entries.length }
}

/** Recomputes one host's exposure. Runs as the machine (no user's host scope), whoever triggered it. */
export async function recomputeHostExposure(deps: ExposureDeps, hostId: string, now = new Date()): Promise<HostExposureOutcome> {
  return withHostScope(null, () => computeAndStore(deps, hostId, now))
}

/**
 * Every host, one at a time (memory stays that of one host's packages), yielding to the event loop
 * between hosts so requests keep being served during a large recompute.
 */
export async function recomputeFleetExposure(deps: ExposureDeps, onHost?: (done: number, total: number) => void): Promise<number> {
  return withHostScope(null, async () => {
    const hosts = (await hostListRows(deps.store.db, undefined)).rows
    let done = 0
    for (const host of hosts) {
      try {
        await computeAndStore(deps, host.id, new Date())
      } catch (err) {
        deps.log?.error({ err, hostId: host.id }, 'vulnerability exposure recompute failed for a host')
      }
      done++
      onHost?.(done, hosts.length)
      await new Promise((resolve) => setImmediate(resolve))
    }
    return done
  })
}
