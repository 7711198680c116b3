// The import's refusals: a message from the one error table, printed by the command line.
import { ERROR_MESSAGES } from '../http/error-messages.js'

export const IMPORT_ERRORS = ERROR_MESSAGES.importUpstream

export class ImportError extends Error {
  override name = 'ImportError'
}
