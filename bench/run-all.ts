// `npm run bench`: every benchmark in turn (or one: `npm run bench -- ingest`). Each prints its
// figures next to a baseline measured in the same run; none asserts (targets are read by people,
// not by CI timing).
import { runIngestBench } from './ingest.bench.js'
import { run as integrationApi } from './integration-api.bench.js'
import { run as agentChannel } from './agent-channel.bench.js'
import { runShellAgentBench } from './shell-agent.bench.js'
import { runStartupBench } from './startup.bench.js'
import { runLoadBench } from './load.bench.js'
import { runAuthFloodBench } from './auth-flood.bench.js'
import { runPatchingBench } from './patching.bench.js'
import { runReadsBench } from './reads.bench.js'
import { runFleetScaleBench } from './fleet-scale.bench.js'
import { runReachBench } from './reach.bench.js'
import { runImportUpstreamBench } from './import-upstream.bench.js'
import { runAgentFleetBench } from './agent-fleet.bench.js'
import { runReportMemoryBench } from './report-memory.bench.js'
import { runTrendStorageBench } from './trend-storage.bench.js'
import { runCveFeedReadBench } from './cve-feed-read.bench.js'
import { runCveImportBench } from './cve-import.bench.js'

const BENCHES: [string, () => Promise<void>][] = [
  ['ingest', runIngestBench],
  ['integration-api', integrationApi],
  ['agent-channel', agentChannel],
  ['shell-agent', runShellAgentBench],
  ['startup', runStartupBench],
  ['load', runLoadBench],
  ['auth-flood', runAuthFloodBench],
  ['patching', runPatchingBench],
  ['reads', runReadsBench],
  ['fleet-scale', runFleetScaleBench],
  ['reach', runReachBench],
  ['import-upstream', runImportUpstreamBench],
  ['agent-fleet', runAgentFleetBench],
  ['report-memory', runReportMemoryBench],
  ['trend-storage', runTrendStorageBench],
  ['cve-feed-read', runCveFeedReadBench],
  ['cve-import', runCveImportBench]
]

async function main(): Promise<void> {
  const only = process.argv[2]
  for (const [name, bench] of BENCHES) {
    if (only && only !== name) continue
    console.log(`== ${name}`)
    await bench()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
