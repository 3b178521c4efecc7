/** The official `tls-sig-api-v2` package (dev dependency) and a frozen clock for it, for differential tests. */
import { after } from 'node:test'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
export const Official = require('tls-sig-api-v2') as { Api: new (sdkappid: number, key: string) => any }

const realNow = Date.now
/** Runs `f` with Date.now() frozen at `unix` seconds (plus 123 ms, so code that floors is exercised). */
export function frozen<T>(unix: number, f: () => T): T {
  Date.now = () => unix * 1000 + 123
  try { return f() } finally { Date.now = realNow }
}
after(() => { Date.now = realNow })
