// In-process fan-out of a run's live output to browser streams (GET .../runs/{id}/stream). A
// subscriber that falls behind is cut off (closed) rather than buffered without bound: the browser
// reconnects and gets a fresh snapshot, which already holds what it missed.
export type StreamFrame =
  | { type: 'started'; patch_run_id: string; stage: 'running' }
  | { type: 'chunk'; patch_run_id: string; stage: 'progress'; chunk: string }
  | { type: 'done'; patch_run_id: string; stage: string; error_message?: string }

export type StreamSubscriber = (frame: StreamFrame) => void

export class RunStreamHub {
  private readonly byRun = new Map<string, Set<StreamSubscriber>>()

  subscribe(runId: string, subscriber: StreamSubscriber): () => void {
    const set = this.byRun.get(runId) ?? new Set<StreamSubscriber>()
    set.add(subscriber)
    this.byRun.set(runId, set)
    return () => {
      set.delete(subscriber)
      if (set.size === 0 && this.byRun.get(runId) === set) this.byRun.delete(runId)
    }
  }

  publish(frame: StreamFrame): void {
    for (const subscriber of this.byRun.get(frame.patch_run_id) ?? []) subscriber(frame)
  }

  subscriberCount(runId: string): number {
    return this.byRun.get(runId)?.size ?? 0
  }
}
