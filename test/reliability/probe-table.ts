// Runs authentication probes (requests that must be refused) and prints them as one table:
// probe x expected x got. A probe passes only when it gets exactly the documented status and body;
// anything under 400 is counted as a success of the attacker.
import type { Test } from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'

export interface Expected {
  status: number
  body: Record<string, unknown>
}

export interface Probe {
  name: string
  request: InjectOptions
  expect: Expected
}

export interface ProbeOutcome {
  name: string
  expected: string
  got: string
  matched: boolean
  succeeded: boolean
}

export type Reply = { status: number; body: unknown }

const short = (status: number, body: unknown) => `${status} ${JSON.stringify(body)}`

export function judge(name: string, expect: Expected, reply: Reply): ProbeOutcome {
  const matched = reply.status === expect.status && JSON.stringify(reply.body) === JSON.stringify(expect.body)
  return { name, expected: short(expect.status, expect.body), got: short(reply.status, reply.body), matched, succeeded: reply.status < 400 }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text.slice(0, 80)
  }
}

export async function runProbes(app: FastifyInstance, probes: Probe[]): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = []
  for (const probe of probes) {
    const res = await app.inject(probe.request)
    outcomes.push(judge(probe.name, probe.expect, { status: res.statusCode, body: parse(res.body) }))
  }
  return outcomes
}

/** Asserts every outcome and prints the table with t.comment. */
export function reportProbes(t: Test, title: string, outcomes: ProbeOutcome[]): void {
  const width = Math.max(...outcomes.map((o) => o.name.length), 5)
  t.comment(`${title}: ${outcomes.length} probes`)
  t.comment(`${'probe'.padEnd(width)} | outcome`)
  for (const o of outcomes) t.comment(`${o.name.padEnd(width)} | ${o.got}${o.matched ? '' : `   (expected ${o.expected})`}`)
  for (const o of outcomes) t.ok(o.matched, `${o.name}: ${o.expected}`)
  const successes = outcomes.filter((o) => o.succeeded)
  t.equal(successes.length, 0, `${title}: 0 of ${outcomes.length} probes succeeded`)
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
