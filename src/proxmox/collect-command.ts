// `patchmon proxmox-collect [--config FILE] [--exclude LIST] [--dry-run]`: one collection run on
// the Proxmox host, printed like the enrollment script ([INFO] ... and a summary with the same
// labels), exit status 1 when a container failed (for the timer unit and monitoring).
import { loadCollectConfig } from './collect-config.js'
import { collectFromProxmox, type CollectSummary } from './collect-run.js'

export function summaryLines(s: CollectSummary, dryRun: boolean): string[] {
  return [
    `[INFO] Total Containers Found: ${s.found}`,
    `[INFO] Reported: ${s.reported}${dryRun ? ' (dry run)' : ''}`,
    `[INFO] Newly Enrolled: ${s.enrolled}`,
    `[INFO] Skipped: ${s.skipped}`,
    `[INFO] Failed: ${s.failed.length}`,
    ...s.failed.map((f) => `[ERROR]   ${f.vmid} ${f.name}: ${f.reason}`)
  ]
}

export async function proxmoxCollectCommand(env: NodeJS.ProcessEnv, argv: string[]): Promise<boolean> {
  const config = loadCollectConfig(env, argv)
  for (const w of config.warnings) console.log(`[WARN] ${w}`)
  const summary = await collectFromProxmox(config, (level, line) => console.log(`[${level}] ${line}`))
  for (const line of summaryLines(summary, config.dryRun)) console.log(line)
  return summary.failed.length === 0
}
