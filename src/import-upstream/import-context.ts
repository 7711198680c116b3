// What the writers share during one import: our store, our secret box, the summary, and the maps
// from upstream ids to ours (groups, users and destinations may get new ids; hosts keep theirs).
import type { Store } from '../store/open-database.js'
import type { SecretBox } from '../security/secret-box.js'
import type { ImportSummary } from './import-summary.js'
import type { UpstreamKeys } from './upstream-secrets.js'

export interface ImportContext {
  store: Store
  box: SecretBox
  summary: ImportSummary
  keys: UpstreamKeys | undefined
  /** Read and decide everything, write nothing. */
  dryRun: boolean
  groupIds: Map<string, string>
  userIds: Map<string, string>
  /** Upstream host ids imported (ours are the same). */
  hostIds: Set<string>
  destinationIds: Map<string, string>
}
