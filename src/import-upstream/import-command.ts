// The command line of `patchmon import-upstream`: parses its flags, runs the import, prints the
// summary. The database URL holds a password: it is never printed (messages show host:port/db).
import { loadConfig, parseFlags, resolveDataDir } from '../config.js'
import { ImportError, IMPORT_ERRORS as E } from './import-errors.js'
import { importUpstream } from './import-service.js'

const NEXT_STEPS = `
Next: start the appliance (systemctl start patchmon), then point the agents at it: change the DNS
name or reverse proxy they use, or the one "patchmon_server" line of each agent's config.yml. Their
credentials.yml stays as it is. Upstream is untouched and can keep running until you are sure.`

export async function importUpstreamCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const flags = parseFlags(argv)
  const databaseUrl = flags['--database-url'] ?? process.env['PATCHMON_UPSTREAM_DATABASE_URL']
  if (!databaseUrl) throw new ImportError(E.usage.message)
  const dryRun = argv.includes('--dry-run')
  const merge = argv.includes('--merge')
  const config = dryRun ? undefined : loadConfig(process.env, argv)
  const dataDir = config?.dataDir ?? resolveDataDir(process.env, flags)
  const secretKey = config?.secretEncryptionKey
  const summary = await importUpstream({ dataDir, databaseUrl, envFile: flags['--env-file'], dryRun, merge, secretKey })
  print(summary.render())
  if (!dryRun) print(NEXT_STEPS)
}
