// A role as GET /api/v1/roles returns it; the users screen and the registration settings both
// show roles, so the type lives here rather than in one of the screens.
export interface Role {
  name: string
  description: string
  is_builtin: boolean
  permissions: string[]
  /** null = every host; a list = only hosts in these groups. */
  host_group_ids: string[] | null
}
