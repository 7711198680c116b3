// Runs every benchmark in turn and prints its figures (`npm run bench`). Each bench module
// exports run(); add yours to the list. Ratios are measured against a baseline in the same run.
import { run as integrationApi } from './integration-api.bench.js'

const BENCHES: [string, () => Promise<void>][] = [
  ['integration-api', integrationApi]
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
