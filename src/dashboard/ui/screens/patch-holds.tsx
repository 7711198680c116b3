// Holds: packages (names or globs such as linux-image-*) that runs never install on a host or a
// host group, and hosts exempt from reboots. Every run honours them; the host page counts them.
import { useState } from 'preact/hooks'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Field, formatDate } from '../components/controls'
import { TargetPicker, useTargets, type TargetType } from '../components/target-picker'
import { useSession } from '../session'
import type { HoldBody, HoldList, RebootExemptionList } from '../patching-types'

export function PatchHolds() {
  const holds = useApi<HoldList>('/api/v1/patching/holds')
  const exemptions = useApi<RebootExemptionList>('/api/v1/patching/reboot-exemptions')
  const targets = useTargets()
  const canManage = useSession().can('can_manage_patching')
  const [target, setTarget] = useState<{ type: TargetType; id: string }>({ type: 'host_group', id: '' })
  const [pattern, setPattern] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined)
    try {
      await action()
      return true
    } catch (err) {
      setError(asFailure(err))
      return false
    } finally {
      holds.reload()
      exemptions.reload()
    }
  }
  const add = async (e: Event) => {
    e.preventDefault()
    const body: HoldBody = {
      target_type: target.type,
      target_id: target.id,
      pattern: pattern.trim(),
      ...(reason.trim() ? { reason: reason.trim() } : {})
    }
    if (await act(() => post('/api/v1/patching/holds', body))) {
      setPattern('')
      setReason('')
    }
  }
  return (
    <>
      <section aria-labelledby="holds-heading">
        <h2 id="holds-heading">Held packages</h2>
        <ErrorNote error={error} />
        {canManage && (
          <form class="panel" onSubmit={(e) => void add(e)} aria-label="Hold a package">
            <TargetPicker targets={targets} type={target.type} id={target.id} onChange={(type, id) => setTarget({ type, id })} />
            <div class="grid-2">
              <Field label="Package or glob" hint="A name, or * and ? as wildcards: linux-image-*">
                <input class="mono" value={pattern} onInput={(e) => setPattern(e.currentTarget.value)} required maxLength={256} />
              </Field>
              <Field label="Reason">
                <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} maxLength={500} />
              </Field>
            </div>
            <button type="submit" class="button button-primary" disabled={!target.id}>
              Hold
            </button>
          </form>
        )}
        <Loaded resource={holds} label="Loading holds…">
          {(data) =>
            data.holds.length === 0 ? (
              <EmptyState title="Nothing is held">
                Hold a package to keep runs from upgrading it, for example a kernel or a database server.
              </EmptyState>
            ) : (
              <>
                <p>
                  {data.held_count} outdated {data.held_count === 1 ? 'package is' : 'packages are'} held back across the fleet.
                </p>
                <div class="table-wrap">
                  <table class="table" aria-label="Held packages">
                    <thead>
                      <tr>
                        <th scope="col">Package</th>
                        <th scope="col">On</th>
                        <th scope="col" class="num">
                          Keeps back
                        </th>
                        <th scope="col">Reason</th>
                        <th scope="col">Since</th>
                        {canManage && <th scope="col">Action</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {data.holds.map((h) => (
                        <tr>
                          <td class="mono">{h.pattern}</td>
                          <td>{targets.nameOf(h.target_type, h.target_id)}</td>
                          <td class="num">{h.held_count}</td>
                          <td>{h.reason || '—'}</td>
                          <td>{formatDate(h.created_at)}</td>
                          {canManage && (
                            <td>
                              <button
                                type="button"
                                class="button button-small"
                                aria-label={`Release ${h.pattern}`}
                                onClick={() => void act(() => del(`/api/v1/patching/holds/${h.id}`))}
                              >
                                Release
                              </button>
                            </td>
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )
          }
        </Loaded>
      </section>
      <section aria-labelledby="exemptions-heading">
        <h2 id="exemptions-heading">Hosts exempt from reboots</h2>
        <Loaded resource={exemptions} label="Loading exemptions…">
          {(data) =>
            data.exemptions.length === 0 ? (
              <p class="muted">No host is exempt. Exempt one from its page (Reboot exemption) to keep every reboot away from it.</p>
            ) : (
              <ul class="rows" aria-label="Reboot exemptions">
                {data.exemptions.map((x) => (
                  <li class="row">
                    <span>
                      {targets.nameOf('host', x.host_id)} <span class="muted small">{x.reason ?? ''}</span>
                    </span>
                    {canManage && (
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => void act(() => del(`/api/v1/patching/reboot-exemptions/${x.host_id}`))}
                      >
                        End exemption
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </>
  )
}
