// What the real agents (1.3.x and 2.x) send on /hosts/update and /hosts/ping, as TypeBox schemas.
// Lenient on purpose (facts: agent-protocol §2.2): every optional field tolerates null (Go marshals
// an unset slice as null), unknown keys are dropped (additionalProperties:false + Ajv
// removeAdditional) instead of rejected, and free-form blocks (disks, interfaces, DNS, load) are
// accepted in both the agent's and the spec's shapes and stored as JSON.
import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox'

const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]))
const text = (maxLength: number) => Type.String({ maxLength })

/** Objects of any shape, kept as received (disks, interfaces). */
const FreeObject = Type.Object({}, { additionalProperties: true })
const FreeObjects = nullable(Type.Array(FreeObject, { maxItems: 1024 }))

export const ReportPackage = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512 }),
    currentVersion: text(512),
    availableVersion: nullable(text(512)),
    needsUpdate: Type.Boolean(),
    isSecurityUpdate: nullable(Type.Boolean()),
    description: nullable(text(16_384)),
    category: nullable(text(512)),
    // Ours, not the upstream agents': the source package (dpkg source:Package, the SOURCERPM's name,
    // apk origin). The vulnerability matcher needs it; without it (or empty) the binary name stands in.
    sourceName: nullable(text(512))
  },
  { additionalProperties: false }
)
export type ReportPackage = Static<typeof ReportPackage>

export const ReportRepository = Type.Object(
  {
    name: nullable(text(1024)),
    url: text(2048),
    distribution: nullable(text(512)),
    components: nullable(text(1024)),
    repoType: nullable(text(64)),
    isEnabled: nullable(Type.Boolean()),
    isSecure: nullable(Type.Boolean())
  },
  { additionalProperties: false }
)
export type ReportRepository = Static<typeof ReportRepository>

/** Facts both the report and the 2.x check-in ping may carry. */
const metricFields = {
  cpuModel: nullable(text(512)),
  cpuCores: nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  ramInstalled: nullable(Type.Number({ minimum: 0 })),
  swapSize: nullable(Type.Number({ minimum: 0 })),
  diskDetails: FreeObjects,
  systemUptime: nullable(text(256)),
  bootTime: nullable(text(64)),
  loadAverage: nullable(Type.Union([Type.Array(Type.Number(), { maxItems: 3 }), FreeObject])),
  needsReboot: nullable(Type.Boolean()),
  rebootReason: nullable(text(1024))
}

export const ReportFields = Type.Object(
  {
    packages: nullable(Type.Array(ReportPackage)),
    repositories: nullable(Type.Array(ReportRepository, { maxItems: 10_000 })),
    agentVersion: nullable(text(64)),
    osType: nullable(text(256)),
    osVersion: nullable(text(256)),
    hostname: nullable(text(255)),
    ip: nullable(text(64)),
    architecture: nullable(text(64)),
    kernelVersion: nullable(text(256)),
    installedKernelVersion: nullable(text(256)),
    selinuxStatus: nullable(text(64)),
    machineId: nullable(text(256)),
    gatewayIp: nullable(text(64)),
    dnsServers: nullable(Type.Array(text(256), { maxItems: 256 })),
    networkInterfaces: FreeObjects,
    packageManager: nullable(text(64)),
    // The spec calls it a string; the real agent sends seconds as a float.
    executionTime: nullable(Type.Union([Type.Number(), text(64)])),
    agentExecutionMs: nullable(Type.Number()),
    ...metricFields
  },
  { additionalProperties: false }
)
export type ReportFields = Static<typeof ReportFields>

/** A body-less POST arrives as null; the handler answers it with "Packages array is required". */
export const ReportBody = Type.Union([ReportFields, Type.Null()])
export type ReportBody = Static<typeof ReportBody>

export const PingBody = Type.Union([
  Type.Object(
    {
      metrics: nullable(Type.Object(metricFields, { additionalProperties: false })),
      agentVersion: nullable(text(64)),
      agentExecutionMs: nullable(Type.Number())
    },
    { additionalProperties: false }
  ),
  // An empty body (the 1.3.x ping and 2.x start-up ping) arrives as no body at all.
  Type.Null()
])
export type PingBody = Static<typeof PingBody>

export const MAX_REPORT_PACKAGES = 10_000
