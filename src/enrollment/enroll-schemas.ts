// Wire shapes of POST /auto-enrollment/enroll and /enroll/bulk (facts: enrollment §4-5).
import { Type } from '@fastify/type-provider-typebox'
import { ErrorMessageReply as ErrorReply } from '../http/schema-fragments.js'

export const MAX_BULK_HOSTS = 50

const NON_BLANK = '\\S'

export const EnrollBody = Type.Object({
  friendly_name: Type.String({ minLength: 1, maxLength: 255, pattern: NON_BLANK, description: 'Display name of the host' }),
  machine_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Machine identifier (not unique: clones share it)' })),
  metadata: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Free details the scripts send (vmid, proxmox_node, ip_address, os_info, hostname, architecture); accepted and not stored'
    })
  )
})

const GroupSummary = Type.Object({ id: Type.String(), name: Type.String(), color: Type.String() })

export const EnrollReply = Type.Object({
  message: Type.String(),
  host: Type.Object({
    id: Type.String(),
    friendly_name: Type.String(),
    api_id: Type.String(),
    api_key: Type.String({ description: 'Shown once; stored only as a bcrypt hash' }),
    host_group: Type.Union([GroupSummary, Type.Null()]),
    status: Type.String()
  })
})

// Items are checked by the handler so a missing name yields the documented per-item message.
export const BulkEnrollBody = Type.Object({
  hosts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BULK_HOSTS })
})

export const BulkEnrollReply = Type.Object({
  message: Type.String(),
  results: Type.Object({
    success: Type.Array(Type.Object({ id: Type.String(), friendly_name: Type.String(), api_id: Type.String(), api_key: Type.String() })),
    failed: Type.Array(Type.Object({ friendly_name: Type.String(), error: Type.String() })),
    skipped: Type.Array(Type.Object({ friendly_name: Type.String(), reason: Type.String() }))
  })
})

const ValidationReply = Type.Object({
  errors: Type.Array(Type.Object({ msg: Type.String(), param: Type.String(), location: Type.String() }))
})

export const ENROLL_ERROR_REPLIES = {
  400: Type.Union([ValidationReply, ErrorReply]),
  401: ErrorReply,
  403: ErrorReply,
  429: ErrorReply
}
