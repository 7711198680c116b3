// undici (outbound HTTP with proxy support: notifications, Discord sign-in) is the largest
// dependency; it is loaded on the first outbound request instead of at start.
let undiciModule: Promise<typeof import('undici')> | undefined

export function loadUndici(): Promise<typeof import('undici')> {
  return (undiciModule ??= import('undici'))
}
