// Copy-to-clipboard for secrets, configs and one-liners. Falls back to a selected textarea and
// execCommand where the async clipboard is missing (plain http on a LAN address).
import { useState } from 'preact/hooks'

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the textarea method
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'offscreen'
  document.body.appendChild(area)
  area.select()
  const ok = document.execCommand('copy')
  area.remove()
  return ok
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const click = async () => {
    setState((await copyText(text)) ? 'copied' : 'failed')
    setTimeout(() => setState('idle'), 2000)
  }
  return (
    <button type="button" class="button button-small" onClick={click} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : label}
    </button>
  )
}

/** A value shown in full with a copy button (secrets, YAML, shell one-liners). */
export function CopyBlock({ label, value, copyLabel }: { label: string; value: string; copyLabel?: string }) {
  return (
    <div class="copy-block">
      <div class="copy-head">
        <span class="copy-label">{label}</span>
        <CopyButton text={value} {...(copyLabel ? { label: copyLabel } : {})} />
      </div>
      <pre tabIndex={0} aria-label={label}>
        {value}
      </pre>
    </div>
  )
}
