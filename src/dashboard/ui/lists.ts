// List endpoints answer either a bare array or an object holding the array (often with a total).

export function listOf<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[]
  const record = (data ?? {}) as Record<string, unknown>
  for (const key of [...keys, 'items', 'data']) {
    const inner = record[key]
    if (Array.isArray(inner)) return inner as T[]
  }
  return []
}

export function totalOf(data: unknown, fallback: number): number {
  const total = (data as Record<string, unknown> | null)?.total
  return typeof total === 'number' ? total : fallback
}
