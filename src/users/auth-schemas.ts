import { Type } from '@fastify/type-provider-typebox'

export const UserView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  is_active: Type.Boolean(),
  tfa_enabled: Type.Boolean(),
  has_password: Type.Boolean(),
  must_change_password: Type.Optional(
    Type.Boolean({ description: 'True while the password is the one generated on first start; the dashboard asks for a new one.' })
  ),
  discord_linked: Type.Boolean(),
  discord_username: Type.Union([Type.String(), Type.Null()]),
  discord_avatar: Type.Union([Type.String(), Type.Null()]),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  permissions: Type.Optional(Type.Array(Type.String())),
  /** The user's own host-group limit (null = none; its role may limit it too). */
  host_group_ids: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()]))
})

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 255 }),
  password: Type.String({ minLength: 1, maxLength: 1024 })
})

export const LoginReply = Type.Object({
  message: Type.String(),
  token: Type.String(),
  expires_at: Type.String(),
  user: UserView
})

/** The reply of a right password for a user with TFA on: the second step, with its ticket. */
export const SecondFactorRequiredReply = Type.Object({
  message: Type.String(),
  requiresTfa: Type.Boolean(),
  username: Type.String(),
  tfaTicket: Type.Optional(Type.String())
})

export const ChangePasswordBody = Type.Object({
  current_password: Type.String({ maxLength: 1024 }),
  new_password: Type.String({ minLength: 8, maxLength: 1024 })
})
