/**
 * The bundle's entry: the built library (the package's own exports), the suite and its data (embedded by _bundle.ts).
 * `conformance()` runs everything and returns a JSON-safe report with what the host environment offered.
 */
import * as core from 'usersig'
import * as legacy from 'usersig/legacy'
import * as compat from 'usersig/compat'
// Resolved by _bundle.ts to the vectors' data (JSON).
import data from 'conformance:data'
import { runToReport, type Report } from './suite.js'
import type { SuiteData } from './_data.js'

declare const TextEncoder: unknown
declare const crypto: { subtle?: unknown } | undefined

export interface RuntimeReport extends Report {
  /** What the runtime offered (read with `typeof`, never through globalThis, which some engines lack). */
  environment: { globalThis: boolean; textEncoder: boolean; webCrypto: boolean }
}

/** The library under test, for checks the host makes itself. */
export const lib = { core, legacy, compat }

export function conformance(): RuntimeReport {
  const environment = {
    globalThis: typeof globalThis !== 'undefined',
    textEncoder: typeof TextEncoder !== 'undefined',
    webCrypto: typeof crypto === 'object' && crypto !== null && typeof crypto.subtle === 'object',
  }
  return { ...runToReport(lib, data as SuiteData), environment }
}
