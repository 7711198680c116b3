// Loads one API resource for a screen: loading, data, error (in words) and reload.
import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiFailure, get } from './api'

export interface Resource<T> {
  data: T | undefined
  error: ApiFailure | undefined
  loading: boolean
  reload: () => void
}

export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiFailure | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== null
  })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (path === null) return
    let live = true
    setState((s) => ({ ...s, loading: true }))
    get<T>(path).then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (err: unknown) => live && setState({ data: undefined, error: asFailure(err), loading: false })
    )
    return () => {
      live = false
    }
  }, [path, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { ...state, reload }
}

export function asFailure(err: unknown): ApiFailure {
  return err instanceof ApiFailure ? err : new ApiFailure(0, err instanceof Error ? err.message : String(err))
}
