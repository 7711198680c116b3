// The shared services every feature reaches through the Fastify instance. Built once per app,
// so tests get a fresh set per temp data folder.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { AppConfig } from './config.js'
import type { Store } from './store/open-database.js'
import { AppEvents } from './events/app-events.js'
import { SettingsStore } from './settings/settings-store.js'
import { VerifiedCredentialsCache } from './security/verified-credentials-cache.js'
import { createSecretBox, type SecretBox } from './security/secret-box.js'
import { Timers } from './jobs/timers.js'
import { KeyDigester } from './security/key-digest.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig
    store: Store
    events: AppEvents
    settings: SettingsStore
    /** Successful bcrypt verifications of host keys, in memory (see its header). */
    credentialCache: VerifiedCredentialsCache
    /** Keyed digests of machine secrets (host keys, token secrets), checked before bcrypt. */
    keyDigester: KeyDigester
    secretBox: SecretBox
    timers: Timers
  }
}

export interface AppContextOptions {
  config: AppConfig
  store: Store
  events?: AppEvents
}

async function appContext(app: FastifyInstance, opts: AppContextOptions): Promise<void> {
  app.decorate('config', opts.config)
  app.decorate('store', opts.store)
  app.decorate('events', opts.events ?? new AppEvents())
  app.decorate('settings', new SettingsStore(opts.store.db))
  app.decorate('credentialCache', new VerifiedCredentialsCache())
  app.decorate('keyDigester', new KeyDigester(opts.config.secretEncryptionKey))
  app.decorate('secretBox', createSecretBox(opts.config.secretEncryptionKey))
  app.decorate('timers', new Timers(app.log))
  app.events.onListenerError((err) => app.log.error({ err }, 'event listener failed'))
  app.addHook('onClose', async () => app.timers.stopAll())
}

export default fp(appContext, { name: 'app-context' })
