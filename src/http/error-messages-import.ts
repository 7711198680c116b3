// Error messages of `patchmon import-upstream` (src/import-upstream): part of the one table,
// ERROR_MESSAGES in error-messages.ts. They are printed by the command line (body 'cli', status =
// the exit code); {placeholders} are filled with fillMessage. None of them ever holds a secret: the
// database URL is shown without its password.
import { entry } from './error-entry.js'

export const IMPORT_ERROR_MESSAGES = {
  importUpstream: {
    usage: entry(
      'usage: patchmon import-upstream --database-url postgresql://USER:PASSWORD@HOST:5432/DB [--env-file upstream.env] [--dry-run] [--merge]',
      1,
      'cli'
    ),
    unreachable: entry('cannot connect to the upstream database {where}: {reason}', 1, 'cli'),
    notUpstream: entry('{where} is not an upstream PatchMon database: it has no {table} table', 1, 'cli'),
    unsupportedVersion: entry('the upstream database {where} has a schema this importer does not read ({reason})', 1, 'cli'),
    envFileUnreadable: entry('cannot read the env file {file}: {reason}', 1, 'cli'),
    envFileNoKey: entry(
      'the env file {file} sets none of AI_ENCRYPTION_KEY, SESSION_SECRET or DATABASE_URL, so it cannot open upstream secrets',
      1,
      'cli'
    ),
    wrongKey: entry(
      'the upstream key from {file} does not open {what}: is it the .env of this upstream server? Run again without --env-file to import those secrets as "to be re-entered"',
      1,
      'cli'
    ),
    dataFolderHasHosts: entry(
      '{dir} already holds {count} hosts. An import is meant for a new appliance: adding a second fleet to a used one is a merge, which keeps what is there and skips upstream hosts, users, groups and tokens whose names or keys it already has. Run again with --merge to do that, or use an empty --data-dir.',
      1,
      'cli'
    )
  }
} as const
