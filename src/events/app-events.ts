// Events are emitted by the feature that observes them and consumed by notifications (routing to
// destinations). A typed EventEmitter keeps producers and consumers decoupled inside one process.
import { EventEmitter } from 'node:events'

export type Severity = 'informational' | 'warning' | 'error' | 'critical'

/** What every patch-run event carries (facts/patching.md §8 metadata, plus the run and its stage). */
export interface PatchRunEvent {
  runId: string
  hostId: string
  hostName: string
  patchType: string
  dryRun: boolean
  /** The run's status when the event fired (running, completed, failed, validated, ...). */
  stage: string
  packages: string[] | null
  policyName: string | null
  errorMessage: string | null
}

export interface AppEventMap {
  host_went_down: { hostId: string; hostName: string; lastUpdate: string | null; thresholdSeconds: number }
  host_came_up: { hostId: string; hostName: string; downSince: string | null }
  container_stopped: { hostId: string; hostName: string; container: string; image: string; oldStatus: string; newStatus: string }
  security_updates_available: { hostId: string; hostName: string; previousCount: number; securityCount: number; packages: string[] }
  user_tfa_disabled: { userId: string; username: string }
  account_locked: { username: string; ip: string; failures: number; lockedUntil: string }
  user_role_changed: { userId: string; username: string; oldRole: string; newRole: string }
  host_enrolled: { hostId: string; hostName: string; tokenName: string }
  host_deleted: { hostId: string; hostName: string }
  /** A patch schedule fires in `minutesBefore` minutes (its notice); hostId only for a single-host schedule. */
  patch_window_upcoming: {
    scheduleId: string
    scheduleName: string
    targetType: string
    targetName: string
    hostId?: string
    runAt: string
    minutesBefore: number
    scope: string
  }
  patch_run_started: PatchRunEvent
  patch_run_completed: PatchRunEvent
  patch_run_failed: PatchRunEvent
  patch_run_approved: PatchRunEvent
  patch_run_cancelled: PatchRunEvent
  /** A host became exposed to a CVE on CISA's known-exploited list (once per host and CVE). */
  known_exploited_vulnerability: {
    hostId: string
    hostName: string
    cveId: string
    packageName: string
    installedVersion: string
    fixedVersion: string | null
    vulnerabilityName: string | null
    dateAdded: string
  }
  /** Not notifiable: a report replaced the host's package set (the vulnerabilities feature recomputes its exposure). */
  host_packages_changed: { hostId: string }
  settings_changed: { keys: string[] }
  /** Not notifiable: it tells the agent channel to drop sockets opened with the old key. */
  host_credentials_regenerated: { hostId: string }
  /**
   * Not notifiable: every accepted agent report, after it committed, with the figures the trends
   * feature follows over time (src/trends/report-hook.ts).
   */
  host_report_ingested: { hostId: string; outdatedCount: number; securityPackages: string[] }
}

export type AppEventName = keyof AppEventMap

/** How an event reached the bus: outboxId is set when the causing change also wrote an outbox row. */
export interface EventMeta {
  outboxId?: string
  /** When the causing change committed (the outbox row's created_at); absent = now. */
  occurredAt?: Date
}

export type AppEventListener<K extends AppEventName> = (payload: AppEventMap[K], meta: EventMeta) => void | Promise<void>

export class AppEvents {
  private readonly emitter = new EventEmitter()

  emit<K extends AppEventName>(name: K, payload: AppEventMap[K], meta: EventMeta = {}): void {
    // Listener errors must never break the request that observed the event.
    for (const listener of this.emitter.listeners(name)) {
      try {
        const result = (listener as AppEventListener<K>)(payload, meta)
        if (result instanceof Promise) result.catch((err: unknown) => this.emitter.emit('listener_error', err))
      } catch (err) {
        this.emitter.emit('listener_error', err)
      }
    }
  }

  on<K extends AppEventName>(name: K, listener: AppEventListener<K>): () => void {
    this.emitter.on(name, listener)
    return () => this.emitter.off(name, listener)
  }

  onListenerError(listener: (err: unknown) => void): void {
    this.emitter.on('listener_error', listener)
  }
}
