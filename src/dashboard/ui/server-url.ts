// The public address scripts and configs must use (the effective Server URL when this user may
// read the settings, else the address the browser used), and the curl flags for one-liners:
// `-sk` when the "ignore self-signed certificates" setting is on, so the first download works too.
import { useEffect, useState } from 'preact/hooks'
import { get } from './api'

export interface ServerAddress {
  url: string
  curlFlags: '-s' | '-sk'
}

export function useServerAddress(): ServerAddress {
  const [address, setAddress] = useState<ServerAddress>({ url: location.origin, curlFlags: '-s' })
  useEffect(() => {
    get<{ server_url?: string | null; effective_server_url?: string; ignore_ssl_self_signed?: boolean }>('/api/v1/settings').then(
      (s) => {
        const url = (s.effective_server_url || s.server_url || location.origin).replace(/\/+$/, '')
        setAddress({ url, curlFlags: s.ignore_ssl_self_signed ? '-sk' : '-s' })
      },
      () => undefined
    )
  }, [])
  return address
}

/** True when the address only reaches the machine it is used on (other hosts cannot use it). */
export function isLoopbackUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
