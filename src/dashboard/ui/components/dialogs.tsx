// Modal dialogs on the native <dialog> element: focus moves inside, Escape closes, the page
// behind is inert. useConfirm asks before anything is deleted.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

export function Modal({
  title,
  onClose,
  children,
  wide
}: {
  title: string
  onClose: () => void
  children: ComponentChildren
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      class={wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby="modal-title"
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div class="modal-head">
        <h2 id="modal-title">{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="modal-body">{children}</div>
    </dialog>
  )
}

interface Question {
  title: string
  message: string
  confirmLabel: string
  resolve: (ok: boolean) => void
}

/** Returns the dialog to render and `ask(...)`, which resolves true only when the user confirms. */
export function useConfirm(): [ComponentChildren, (title: string, message: string, confirmLabel?: string) => Promise<boolean>] {
  const [question, setQuestion] = useState<Question | null>(null)
  const ask = (title: string, message: string, confirmLabel = 'Delete') =>
    new Promise<boolean>((resolve) => setQuestion({ title, message, confirmLabel, resolve }))
  const answer = (ok: boolean) => {
    question?.resolve(ok)
    setQuestion(null)
  }
  const dialog = question && (
    <Modal title={question.title} onClose={() => answer(false)}>
      <p>{question.message}</p>
      <div class="actions">
        <button type="button" class="button" onClick={() => answer(false)} autofocus>
          Cancel
        </button>
        <button type="button" class="button button-danger" onClick={() => answer(true)}>
          {question.confirmLabel}
        </button>
      </div>
    </Modal>
  )
  return [dialog, ask]
}
