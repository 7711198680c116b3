// The public address scripts and configs must use: the Server URL setting when this user may read
// it, else the address the browser used.
import { useEffect, useState } from 'preact/hooks'
import { get } from './api'

export function useServerUrl(): string {
  const [url, setUrl] = useState(location.origin)
  useEffect(() => {
    get<{ server_url?: string | null; effective_server_url?: string }>('/api/v1/settings').then(
      (s) => {
        const url = s.effective_server_url || s.server_url
        if (url) setUrl(url.replace(/\/+$/, ''))
      },
      () => undefined
    )
  }, [])
  return url
}
