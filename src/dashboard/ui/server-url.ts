// The public address scripts and configs must use: the Server URL setting when this user may read
// it, else the address the browser used.
import { useEffect, useState } from 'preact/hooks'
import { get } from './api'

export function useServerUrl(): string {
  const [url, setUrl] = useState(location.origin)
  useEffect(() => {
    get<{ server_url?: string | null }>('/api/v1/settings').then(
      (s) => s.server_url && setUrl(s.server_url.replace(/\/+$/, '')),
      () => undefined
    )
  }, [])
  return url
}
