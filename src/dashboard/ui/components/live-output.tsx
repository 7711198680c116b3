// A terminal-like view of a run's output that follows new text while the reader is at the bottom
// and stops following as soon as they scroll up (to read an earlier line); "Follow output" resumes.
import { useLayoutEffect, useRef, useState } from 'preact/hooks'

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel rounding, a last short line). */
const BOTTOM_SLACK_PX = 24

export function LiveOutput({ text, live, empty }: { text: string; live: boolean; empty?: string | undefined }) {
  const ref = useRef<HTMLPreElement>(null)
  const [following, setFollowing] = useState(true)
  useLayoutEffect(() => {
    const el = ref.current
    if (el && following) el.scrollTop = el.scrollHeight
  }, [text, following])
  const onScroll = () => {
    const el = ref.current
    if (!el) return
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX
    if (atBottom !== following) setFollowing(atBottom)
  }
  return (
    <div class="live-output">
      <pre
        ref={ref}
        class="terminal"
        tabIndex={0}
        aria-label="Run output"
        aria-live="off"
        data-following={following ? 'yes' : 'no'}
        onScroll={onScroll}
      >
        {text || empty || (live ? 'Waiting for output from the agent…' : 'No output.')}
      </pre>
      {live && !following && (
        <button type="button" class="button button-small follow-button" onClick={() => setFollowing(true)}>
          Follow output
        </button>
      )}
    </div>
  )
}
