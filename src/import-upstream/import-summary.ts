// What an import did (or, in a dry run, would do): counts per kind, every item skipped or carried
// over with a loss, and the people to tell (TFA reset, no way to sign in). Lines name things by
// their names, never by a secret.

export class ImportSummary {
  readonly counts = new Map<string, number>()
  /** Skipped items and lossy carries, one line each. */
  readonly notes: string[] = []
  /** People to contact, one line each. */
  readonly tell: string[] = []

  constructor(
    readonly source: string,
    readonly dryRun: boolean
  ) {}

  count(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n)
  }

  note(line: string): void {
    this.notes.push(line)
  }

  tellUser(line: string): void {
    this.tell.push(line)
  }

  render(): string {
    const verb = this.dryRun ? 'Would import' : 'Imported'
    const lines = [`${this.dryRun ? 'Dry run: nothing was written. ' : ''}${verb} from upstream PatchMon ${this.source}:`]
    for (const [kind, n] of this.counts) lines.push(`  ${String(n).padStart(7)}  ${kind}`)
    if (this.notes.length > 0) {
      lines.push('', `Skipped or changed (${this.notes.length}):`)
      for (const note of this.notes) lines.push(`  - ${note}`)
    }
    if (this.tell.length > 0) {
      lines.push('', `Tell these people (${this.tell.length}):`)
      for (const line of this.tell) lines.push(`  - ${line}`)
    }
    return lines.join('\n')
  }
}
