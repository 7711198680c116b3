import { Type } from '@fastify/type-provider-typebox'

const NullableString = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()])

/** Snake case as upstream's panel sends; camel case accepted too (the reply is always snake case). */
export const DiscordSettingsBody = Type.Object(
  {
    discord_oauth_enabled: Type.Optional(Type.Boolean()),
    discord_client_id: Type.Optional(NullableString(200)),
    discord_client_secret: Type.Optional(NullableString(500)),
    discord_redirect_uri: Type.Optional(NullableString(2000)),
    discord_button_text: Type.Optional(NullableString(100)),
    discordOAuthEnabled: Type.Optional(Type.Boolean()),
    discordOauthEnabled: Type.Optional(Type.Boolean()),
    discordClientId: Type.Optional(NullableString(200)),
    discordClientSecret: Type.Optional(NullableString(500)),
    discordRedirectUri: Type.Optional(NullableString(2000)),
    discordButtonText: Type.Optional(NullableString(100))
  },
  { additionalProperties: false }
)

export const DiscordSettingsView = Type.Object({
  discord_oauth_enabled: Type.Boolean(),
  discord_client_id: Type.Union([Type.String(), Type.Null()]),
  discord_client_secret_set: Type.Boolean({ description: 'The secret itself is write-only' }),
  discord_redirect_uri: Type.Union([Type.String(), Type.Null()]),
  discord_button_text: Type.String(),
  discord_callback_url: Type.String({ description: 'Derived from the server URL; register it in the Discord app' })
})

export const DiscordSettingsSaved = Type.Object({ message: Type.String(), ...DiscordSettingsView.properties })

export const DiscordPublicConfig = Type.Object({ enabled: Type.Boolean(), buttonText: Type.String() })

export const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 200 })),
  error: Type.Optional(Type.String({ maxLength: 200 }))
})

export const LinkReply = Type.Object({ url: Type.String() })
