// A screen whose code is fetched the first time it is opened (esbuild splits it into its own
// chunk), so screens most visits never open do not weigh on the first page load.
import type { FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ErrorNote, Loading } from './feedback'

type Screen = FunctionComponent<{ params: Record<string, string> }>

export function lazyScreen(load: () => Promise<Screen>): Screen {
  let loaded: Screen | undefined
  return function LazyScreen(props) {
    const [screen, setScreen] = useState<{ Screen: Screen } | undefined>(loaded ? { Screen: loaded } : undefined)
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (screen) return
      load().then(
        (Screen) => {
          loaded = Screen
          setScreen({ Screen })
        },
        () => setFailed(true)
      )
    }, [])
    if (failed) return <ErrorNote error="This page could not be loaded (the server may have been updated). Reload the page." />
    return screen ? <screen.Screen {...props} /> : <Loading />
  }
}
