// Each container's host credentials, kept on the Proxmox host (the container has no agent to keep
// them): one JSON file, mode 0600 in a 0700 folder, replaced atomically. Keyed by vmid.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface ContainerCredentials {
  api_id: string
  api_key: string
  friendly_name: string
  container_name: string
  enrolled_at: string
}

export type CredentialsFile = Record<string, ContainerCredentials>

export function loadCredentials(file: string): CredentialsFile {
  if (!existsSync(file)) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CredentialsFile
  } catch (err) {
    throw new Error(`${file} is not readable JSON (${(err as Error).message}); move it away to enroll the containers again`, { cause: err })
  }
}

export function saveCredentials(file: string, creds: CredentialsFile): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}
