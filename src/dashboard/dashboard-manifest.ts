// The shape of build/dashboard/manifest.json, shared by the UI build and the server.

/** Files served under fixed names (gethomepage's `icon:` and the favicon link point at them). */
export const FIXED_NAME_FILES = ['favicon.svg', 'logo_dark.png', 'logo_light.png'] as const

export interface DashboardManifest {
  /** Every file in build/dashboard, the manifest itself included. */
  files: string[]
  /** Content-hashed file names: safe to cache for a year. */
  immutable: string[]
  entry: { js: string; css: string }
  builtAt: string
}

export const DASHBOARD_DIR_KEY = 'build/dashboard'
