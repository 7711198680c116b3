// What the Add Destination form knows of a destination type: its label and its config fields.
export interface ConfigField {
  key: string
  label: string
  input: 'text' | 'url' | 'email' | 'number' | 'password' | 'select'
  required?: boolean
  /** Prefilled on a new destination (the API's own default). */
  initial?: string
  placeholder?: string
  hint?: string
  options?: Array<[string, string]>
  min?: number
  max?: number
  /**
   * The API keeps this value when an update leaves it out and never returns it: the form sends it
   * only when typed. On edit, `true` means a value is always saved; a string names the has_* flag.
   */
  kept?: true | string
}

export interface Channel {
  type: string
  label: string
  fields: ConfigField[]
}
