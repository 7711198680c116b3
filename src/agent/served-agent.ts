// What /hosts/agent/version and /hosts/agent/download hand out for an os/arch:
//  1. an upstream agent binary an operator put into the agent binaries folder
//     (`patchmon-agent-<os>-<arch>[.exe]`), its version read from `<binary> --version`;
//  2. otherwise, for Linux and FreeBSD, our own shell agent, its version read from the
//     `AGENT_VERSION=` line.
// Versions and hashes are cached per file size + mtime, so steady version checks read nothing.
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const AGENT_OSES = ['linux', 'freebsd', 'windows'] as const

/** Asset key of the shell agent, served when no binary agent fits (read through app.scriptReader). */
export const SHELL_AGENT_ASSET = 'src/agent/shell-agent/patchmon-agent.sh'
export type AgentOs = (typeof AGENT_OSES)[number]

/** Architectures upstream builds per OS; anything else is never looked up (it becomes a file name). */
export const AGENT_ARCHES: Record<AgentOs, readonly string[]> = {
  linux: ['amd64', '386', 'arm64', 'arm'],
  freebsd: ['amd64', '386', 'arm64', 'arm'],
  windows: ['amd64', 'arm64']
}

export interface ServedAgent {
  kind: 'binary' | 'shell'
  version: string | undefined
  sha256: string
  fileName: string
  read: () => Promise<Buffer>
}

export const binaryFileName = (os: AgentOs, arch: string) => `patchmon-agent-${os}-${arch}${os === 'windows' ? '.exe' : ''}`

const VERSION_PATTERN = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/

interface CachedBinary {
  stamp: string
  version: string | undefined
  sha256: string
}

// The shell agent only changes with an upgrade of the server; re-reading it every few seconds
// keeps a version check from hashing the file on every request.
const SHELL_AGENT_TTL_MS = 10_000

export class AgentCatalogue {
  private readonly binaries = new Map<string, CachedBinary>()
  private shellAgentCache: { at: number; agent: ServedAgent | undefined } | undefined

  constructor(
    private readonly binariesDir: string,
    private readonly readShellAgent: () => Buffer | undefined
  ) {}

  /** The file served to `os`/`arch`, or undefined when there is none. `goOnly` skips the shell agent. */
  async find(os: AgentOs, arch: string, opts: { goOnly: boolean }): Promise<ServedAgent | undefined> {
    if (!AGENT_ARCHES[os].includes(arch)) return undefined
    const binary = await this.binary(os, arch)
    if (binary) return binary
    if (opts.goOnly || os === 'windows') return undefined
    return this.shellAgent()
  }

  private async binary(os: AgentOs, arch: string): Promise<ServedAgent | undefined> {
    const fileName = binaryFileName(os, arch)
    const path = join(this.binariesDir, fileName)
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile() || info.size === 0) return undefined
    const stamp = `${info.size}:${info.mtimeMs}`
    let cached = this.binaries.get(path)
    if (cached?.stamp !== stamp) {
      const bytes = await readFile(path)
      cached = { stamp, version: await this.versionOf(path), sha256: createHash('sha256').update(bytes).digest('hex') }
      this.binaries.set(path, cached)
    }
    return { kind: 'binary', version: cached.version, sha256: cached.sha256, fileName, read: () => readFile(path) }
  }

  /** `patchmon-agent version X` from the binary; undefined when it cannot run here (other CPU). */
  private async versionOf(path: string): Promise<string | undefined> {
    try {
      const { stdout, stderr } = await run(path, ['--version'], { timeout: 5000, maxBuffer: 64 * 1024 })
      return VERSION_PATTERN.exec(`${stdout}\n${stderr}`)?.[1]
    } catch {
      return undefined
    }
  }

  private shellAgent(): ServedAgent | undefined {
    const now = Date.now()
    if (this.shellAgentCache && now - this.shellAgentCache.at < SHELL_AGENT_TTL_MS) return this.shellAgentCache.agent
    this.shellAgentCache = { at: now, agent: this.loadShellAgent() }
    return this.shellAgentCache.agent
  }

  private loadShellAgent(): ServedAgent | undefined {
    const bytes = this.readShellAgent()
    if (!bytes || bytes.length === 0) return undefined
    const version = /^AGENT_VERSION=["']?([^"'\s]+)["']?\s*$/m.exec(bytes.toString('utf8'))?.[1]
    return {
      kind: 'shell',
      version,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      fileName: 'patchmon-agent.sh',
      read: async () => bytes
    }
  }
}
