// The one table of error messages we raise on purpose, grouped by feature. Each entry is the exact wire
// string (byte-identical to what clients already see), the status it goes out with and the body shape.
// Feature files refer to these entries instead of writing the strings inline, so a message is declared
// once and test/http/error-vocabulary.test.ts can list every one. Features not moved here yet still keep
// their own tables (see that test's NOT_YET_MOVED list).

/** One documented error: the string, the status it is sent with, and the body that carries it. */
export type ErrorEntry = {
  readonly message: string
  readonly status: number
  /** `error` = `{ error }`; `validation` = a validation message (400 `{ error }` via validationMessages). */
  readonly body: 'error' | 'validation'
}

const entry = (message: string, status: number, body: ErrorEntry['body'] = 'error'): ErrorEntry => ({ message, status, body })

export const ERROR_MESSAGES = {
  // Host groups (src/hosts/host-group-routes.ts): create and update of /api/v1/host-groups.
  hostGroups: {
    nameInvalid: entry('Name is required (1-100 characters)', 400, 'validation'),
    descriptionTooLong: entry('Description must be at most 1000 characters', 400, 'validation'),
    colorInvalid: entry('Color must be a hex colour like #3B82F6', 400, 'validation'),
    duplicateName: entry('A host group with this name already exists', 409)
  }
} as const
