// Proves "no bcrypt on this path": with the machine lane full, anything that needs bcrypt is
// refused 429 without being judged, so a 200 can only come from a stored digest.
import { machineLane, runInteractive } from '../../src/security/bcrypt-lanes.js'

/** Holds the bcrypt machine lane full (running and queued) until the returned function is called. */
export function fillMachineLane(): () => Promise<void> {
  let releaseInteractive = () => {}
  const interactive = runInteractive(() => new Promise<void>((resolve) => (releaseInteractive = resolve)))
  const fillers = Array.from({ length: machineLane.concurrency + machineLane.maxWaiting }, () => machineLane.run(async () => {}))
  return async () => {
    releaseInteractive()
    await Promise.all([interactive, ...fillers])
  }
}
