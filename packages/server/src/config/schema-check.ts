/**
 * The first pass over a config object: the JSON Schema of schema.ts, run by ajv (the validator fastify already uses).
 * It reports the first problem as a ConfigError naming the field (`apps[0].userSig.maxTtl`), with "did you mean" for an
 * unknown field. The value is never echoed. Cross-field rules, secrets and files are validate.ts's second pass.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { ConfigError } from './check.js'
import { configJsonSchema } from './schema.js'

let compiled: ValidateFunction | undefined

/** Throws a ConfigError for the first place `input` breaks the schema. */
export function checkSchema(input: unknown): void {
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(configJsonSchema())
  if (compiled(input)) return
  throw toConfigError(compiled.errors ?? [])
}

function toConfigError(errors: ErrorObject[]): ConfigError {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties')
  if (unknown) {
    const key = (unknown.params as { additionalProperty: string }).additionalProperty
    const allowed = Object.keys((unknown.parentSchema as { properties?: object } | undefined)?.properties ?? {})
    const near = didYouMean(key, allowed)
    return new ConfigError(fieldPath(unknown.instancePath, key), `unknown field${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`)
  }
  const missing = errors.find((e) => e.keyword === 'required')
  // The deepest place wins; there, the union's own description says what is accepted.
  const deepest = errors.reduce((a, b) => (depth(b.instancePath) > depth(a.instancePath) ? b : a))
  if (missing && depth(missing.instancePath) >= depth(deepest.instancePath)) {
    return new ConfigError(fieldPath(missing.instancePath, (missing.params as { missingProperty: string }).missingProperty), 'required')
  }
  const here = errors.filter((e) => e.instancePath === deepest.instancePath)
  const described = here.find((e) => typeof (e.parentSchema as { description?: unknown } | undefined)?.description === 'string') ?? deepest
  const node = described.parentSchema as { description?: string; anyOf?: { const?: unknown }[] } | undefined
  const path = fieldPath(deepest.instancePath)
  if (node?.anyOf?.every((m) => typeof m.const === 'string')) return new ConfigError(path, `must be one of: ${node.anyOf.map((m) => m.const).join(', ')}`)
  return new ConfigError(path, node?.description ? `is not valid. Expected: ${node.description}` : `must ${plain(deepest)}`)
}

/** What ajv says, without the schema's internals (`must match pattern "^…$"` is no help to an operator). */
function plain(e: ErrorObject): string {
  if (e.keyword === 'pattern') return 'have the documented form (see docs/service.md)'
  return (e.message ?? 'be valid').replace(/^must /, '')
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length
}

/** `/apps/0/userSig` → `apps[0].userSig`. */
function fieldPath(pointer: string, key?: string): string {
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part
  }
  if (key !== undefined) out = out ? `${out}.${key}` : key
  return out || 'config'
}

/** A known field that differs in case only, or by one edit (two for names longer than 4). */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  const k = key.toLowerCase()
  return allowed.find((a) => a.toLowerCase() === k) ?? allowed.find((a) => distance(a.toLowerCase(), k) <= (a.length > 4 ? 2 : 1))
}

/** Edit distance with transpositions (optimal string alignment); both sides are short field names (a key longer than 64 characters matches nothing). */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity
  let before: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j]!, before[j - 2]! + 1)
    }
    before = prev
    prev = cur
  }
  return prev[b.length]!
}
