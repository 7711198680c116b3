// The configuration block of install-agent.sh: which OS and architecture it installs for, the
// single-use bootstrap token, TLS leniency and force mode. Values end up in a shell script, so
// only known names pass (served-scripts.ts quotes every value).
import type { ConfigVariable } from './served-scripts.js'

const ARCHITECTURES = ['amd64', '386', 'arm64', 'arm'] as const
const SCRIPT_OSES = ['linux', 'freebsd'] as const

export interface InstallScriptInput {
  serverUrl: string
  /** ?os= as asked; anything but linux/freebsd is inferred from the host's reported OS. */
  os?: string | undefined
  hostOsType: string | null
  arch?: string | undefined
  force?: string | undefined
  insecure: boolean
  bootstrapToken: string
}

export function installScriptVariables(input: InstallScriptInput): ConfigVariable[] {
  const { os, arch, force, insecure } = input
  const scriptOs = (SCRIPT_OSES as readonly string[]).includes(os ?? '')
    ? (os as string)
    : /freebsd/i.test(input.hostOsType ?? '')
      ? 'freebsd'
      : 'linux'
  const vars: ConfigVariable[] = [
    { name: 'PATCHMON_URL', value: input.serverUrl },
    { name: 'PATCHMON_OS', value: scriptOs },
    { name: 'BOOTSTRAP_TOKEN', value: input.bootstrapToken, always: true },
    { name: 'CURL_FLAGS', value: insecure ? '-sk' : '-s' },
    { name: 'SKIP_SSL_VERIFY', value: insecure ? 'true' : 'false' },
    { name: 'FORCE_INSTALL', value: force === 'true' || force === '1' ? 'true' : 'false' }
  ]
  // Anything but the four known names is ignored: the value ends up in a shell script.
  if (arch && (ARCHITECTURES as readonly string[]).includes(arch)) vars.push({ name: 'ARCHITECTURE', value: arch })
  return vars
}
