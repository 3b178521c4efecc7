/**
 * The published vectors (vectors/*.json) against their JSON Schemas (vectors/schema/*.schema.json), with the ajv that
 * fastify already brings; and the verdict table covers every v2-verify record, so the README's promise holds for other
 * languages: the schemas describe the files exactly as they are.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const Ajv = require('ajv') as typeof import('ajv').default
const dir = fileURLToPath(new URL('../vectors/', import.meta.url))
const read = (f: string): any => JSON.parse(readFileSync(join(dir, f), 'utf8'))
const dataFiles = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

test('every vector file has a schema and every schema a vector file', () => {
  const schemas = readdirSync(join(dir, 'schema')).map((f) => f.replace(/\.schema\.json$/, '.json')).sort()
  assert.deepEqual(schemas, dataFiles)
})

for (const file of dataFiles) {
  test(`${file} matches schema/${file.replace(/\.json$/, '.schema.json')}`, () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
    const validate = ajv.compile(read(join('schema', file.replace(/\.json$/, '.schema.json'))))
    const ok = validate(read(file))
    assert.ok(ok, ajv.errorsText(validate.errors?.slice(0, 5)))
  })
}

test('a schema rejects what it should (a v2-verify record without its inputs, an unknown verdict reason)', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
  const verify = ajv.compile(read('schema/v2-verify.schema.json'))
  const rec = structuredClone(read('v2-verify.json')[0])
  delete rec.verifier_inputs
  assert.equal(verify([rec]), false)
  const expected = ajv.compile(read('schema/v2-verify-expected.schema.json'))
  assert.equal(expected({ about: '', verdicts: { x: { ok: false, reason: 'NOPE' } } }), false)
  assert.equal(expected({ about: '', verdicts: { x: { ok: false } } }), false)
})

test('v2-verify-expected.json has a verdict for every v2-verify record and nothing else', () => {
  const ids = read('v2-verify.json').map((r: any) => r.id.replace(/^v2-verify\//, '')).sort()
  assert.deepEqual(Object.keys(read('v2-verify-expected.json').verdicts).sort(), ids)
})
