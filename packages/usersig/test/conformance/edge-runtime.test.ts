/** The conformance suite in edge-runtime (Vercel's Edge Functions runtime), installed by scripts/runtimes.mjs. */
import test from 'node:test'
import { prereq } from '../../../../scripts/prereq.mjs'
import { bundleSuite, REPORT_MARKER, scratchDir } from './_bundle.js'
import { expectConformance, runForReport } from './_report.js'

const edge = prereq('edge-runtime')

test('edge-runtime (Vercel Edge)', { skip: edge.skip }, async () => {
  const started = Date.now()
  // The runtime evaluates a classic script: the IIFE bundle, then one line that prints the report.
  const script = `${await bundleSuite({ format: 'iife' })}\nconsole.log(${JSON.stringify(REPORT_MARKER)} + JSON.stringify(UserSigConformance.conformance()))\n`
  const tmp = scratchDir({ 'conformance.js': script })
  try {
    expectConformance('edge-runtime', await runForReport('edge-runtime', edge.path!, ['conformance.js'], tmp.dir), started)
  } finally {
    tmp.remove()
  }
})
