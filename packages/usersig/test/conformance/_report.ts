/**
 * The host's side of a conformance run: reads a runtime's report and holds it to the plan (every check of the suite,
 * run, none failed). Prints one line per runtime with the number of checks and the time it took.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { plan } from './suite.js'
import { suiteData } from './_data.js'
import { REPORT_MARKER } from './_bundle.js'
import type { RuntimeReport } from './entry.js'

let planned: string[] | undefined

/** Fewest checks per part of the suite: a data or plan mistake that drops records must not pass everywhere vacuously. */
const AT_LEAST: [prefix: string, count: number][] = [
  ['v2-generated ', 140 * 2], ['v2-verify ', 34], ['v1-generated ', 36 * 2], ['v1-verify ', 20 * 2], ['official-samples ', 6 * 2], ['round trip', 20],
]

function thePlan(): string[] {
  if (planned) return planned
  planned = plan(suiteData())
  for (const [prefix, count] of AT_LEAST) {
    const n = planned.filter((name) => name.startsWith(prefix)).length
    assert.ok(n >= count, `the suite plans ${n} "${prefix}" checks, expected at least ${count}`)
  }
  assert.equal(new Set(planned).size, planned.length, 'check names are unique')
  return planned
}

/** Asserts that `report` ran every planned check and that none failed (the message lists the failing checks). */
export function expectConformance(runtime: string, report: RuntimeReport, startedAt: number): void {
  const planned = thePlan()
  const ms = Date.now() - startedAt
  console.log(`conformance ${runtime}: ${report.total} checks run, ${report.passed} passed, ${report.failures.length} failed (${ms} ms)`)
  const list = report.failures.slice(0, 40).map((f) => `  ${f.name}: ${f.detail}`).join('\n')
  assert.equal(report.failures.length, 0, `${runtime}: ${report.failures.length} checks failed:\n${list}`)
  assert.equal(report.total, planned.length, `${runtime}: ran ${report.total} checks, the suite plans ${planned.length}`)
  assert.equal(report.passed, planned.length)
}

/** Parses the report line a runtime printed. */
export function readReport(runtime: string, output: string): RuntimeReport {
  const line = output.split('\n').find((l) => l.startsWith(REPORT_MARKER))
  assert.ok(line, `${runtime} printed no report. Output:\n${output.slice(-2000)}`)
  return JSON.parse(line.slice(REPORT_MARKER.length)) as RuntimeReport
}

/** Runs a runtime's binary to completion (bounded in time) and returns its report. */
export function runForReport(runtime: string, bin: string, args: string[], cwd: string): Promise<RuntimeReport> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${runtime} failed (${err.message.split('\n')[0]}):\n${stdout.slice(-1500)}\n${stderr.slice(-1500)}`))
        return
      }
      try {
        resolve(readReport(runtime, stdout))
      } catch (e) {
        reject(e instanceof Error ? new Error(`${e.message}\n${stderr.slice(-1500)}`) : e)
      }
    })
  })
}
