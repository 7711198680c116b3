// Proxmox's `pct`: `pct list` names the LXC containers, `pct exec <vmid> -- cmd` runs a command
// inside one (lxc-attach underneath; stdin is passed through, which is how the collection script
// gets in without anything installed in the container).
import { spawn } from 'node:child_process'

export interface Container {
  vmid: number
  status: string
  name: string
}

export interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/**
 * `pct list` prints a header (VMID Status Lock Name) and one row per container; the Lock column is
 * usually empty, so a row has three or four words.
 */
export function parsePctList(output: string): Container[] {
  const out: Container[] = []
  for (const line of output.split('\n').slice(1)) {
    const words = line.trim().split(/\s+/)
    if (words.length < 2 || !/^\d+$/.test(words[0] as string)) continue
    out.push({ vmid: Number(words[0]), status: words[1] as string, name: words.length >= 4 ? (words[3] as string) : (words[2] ?? '') })
  }
  return out
}

export function runPct(pct: string, args: string[], stdin: string, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(pct, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timedOut = false
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        e.code === 'ENOENT' ? new Error(`${pct} not found: run this on the Proxmox host (PATH must include /usr/sbin, e.g. under cron)`) : e
      )
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut })
    })
    // A command that exits without reading its stdin closes the pipe early: not an error here.
    child.stdin.on('error', () => undefined)
    child.stdin.end(stdin)
  })
}

export async function listContainers(pct: string): Promise<Container[]> {
  const r = await runPct(pct, ['list'], '', 60_000)
  if (r.code !== 0) throw new Error(`pct list failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`)
  return parsePctList(r.stdout)
}
