/**
 * Runs an IIFE bundle in a fresh node:vm context that has only the ECMAScript globals (no TextEncoder,
 * no crypto, no Buffer, no process), optionally with `globalThis` deleted too (as in older engines), and returns the
 * report (passed out as JSON text, so no object crosses the realms).
 */
import assert from 'node:assert/strict'
import vm from 'node:vm'
import type { RuntimeReport } from './entry.js'

/** Host APIs the bare context must not have. */
export const HOST_GLOBALS = ['Buffer', 'process', 'crypto', 'TextEncoder', 'TextDecoder', 'CompressionStream', 'require', 'fetch', 'setTimeout']

export function runInBareContext(bundle: string, o: { withoutGlobalThis: boolean }): RuntimeReport {
  const ctx = vm.createContext({})
  if (o.withoutGlobalThis) vm.runInContext('delete globalThis', ctx)
  for (const g of [...HOST_GLOBALS, ...(o.withoutGlobalThis ? ['globalThis'] : [])]) {
    assert.equal(vm.runInContext(`typeof ${g}`, ctx), 'undefined', `${g} must be absent in the context`)
  }
  vm.runInContext(bundle, ctx)
  return JSON.parse(vm.runInContext('JSON.stringify(UserSigConformance.conformance())', ctx) as string) as RuntimeReport
}
