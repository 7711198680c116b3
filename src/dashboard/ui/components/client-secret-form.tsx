// The write-only client secret of a sign-in provider (Discord, OpenID Connect): typed, saved, never
// shown back; the badge says whether one is stored. Both settings screens use this one form.
import { useState } from 'preact/hooks'
import { Badge, Field } from './controls'

export function ClientSecretForm(props: {
  /** The settings field, e.g. `discord_client_secret`; also the input's name. */
  field: string
  isSet: boolean
  disabled?: boolean
  /** Saves `{ [field]: value }` with the notice to show; resolves true when saved. */
  save: (change: Record<string, string>, notice: string) => Promise<boolean>
}) {
  const [secret, setSecret] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void props
          .save({ [props.field]: secret }, secret ? 'Client Secret saved (encrypted at rest).' : 'Client Secret cleared.')
          .then((ok) => ok && setSecret(''))
      }}
    >
      <Field
        label="Client Secret"
        hint={
          <>
            Stored encrypted; never shown again. <Badge kind={props.isSet ? 'ok' : 'muted'}>{props.isSet ? '✓ Set' : 'Not set'}</Badge>
          </>
        }
      >
        <input
          name={props.field}
          type="password"
          value={secret}
          disabled={props.disabled}
          onInput={(e) => setSecret(e.currentTarget.value)}
          autoComplete="off"
        />
      </Field>
      <div class="actions">
        <button type="submit" class="button" disabled={props.disabled}>
          Save
        </button>
      </div>
    </form>
  )
}
