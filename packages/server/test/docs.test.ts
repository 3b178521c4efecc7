/** docs/service.md documents every environment variable and every error code the service has. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ENV_VARS, ERROR_STATUS } from '../src/index.js'

const doc = readFileSync(new URL('../../../docs/service.md', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

test('every environment variable is in docs/service.md', () => {
  for (const name of ENV_VARS) assert.ok(doc.includes(`\`${name}\``) || doc.includes(`${name}`), name)
})

test('every error code is in the error table with its status', () => {
  const table = doc.slice(doc.indexOf('## Errors'))
  for (const [code, status] of Object.entries(ERROR_STATUS)) {
    const row = table.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${code}\``))
    assert.ok(row, `${code} has a row`)
    assert.ok(row.includes(`| ${status} |`), `${code} row says ${status}`)
  }
})

test('the package README points to the reference and shows a runnable start', () => {
  assert.match(readme, /docs\/service\.md/)
  assert.match(readme, /npm start/)
})
