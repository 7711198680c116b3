// `npm run bench`: every benchmark in turn. Each prints its figures next to a baseline measured
// in the same run; none asserts (targets are read by people, not by CI timing).
import { runIngestBench } from './ingest.bench.js'

const BENCHES: [string, () => Promise<void>][] = [
  ['ingest', runIngestBench]
]

async function main(): Promise<void> {
  for (const [name, run] of BENCHES) {
    console.log(`== ${name}`)
    await run()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
