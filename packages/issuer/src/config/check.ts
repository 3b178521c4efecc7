/**
 * The first pass over a config object, and the value readers of the second. The first pass is the schema, checked with
 * TypeBox's `Errors` (no generated code, so it runs in Workers too): the first problem becomes a ConfigError naming the
 * field (`apps[0].userSig.maxExpiresIn`), with "did you mean" for an unknown field. The value is never echoed: a misplaced
 * secret must not end up in an error message. The readers below only convert what the schema already accepted.
 */
import type { TSchema } from '@sinclair/typebox'
import { Errors, ValueErrorType, type ValueError } from '@sinclair/typebox/errors'
import { parseDuration } from 'usersig'
import { DURATION_WORDS, type TInt } from './schema.js'

/** A configuration problem, found at start (or at SIGHUP reload). `field` is the path of the bad setting. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  /** The path of the bad setting (`apps[0].sdkAppId`), or the environment variable that set it. */
  readonly field: string
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`config field "${field}": ${message}`, options)
    this.field = field
  }
}

/** A config object as the second pass reads it. */
export type Obj = Record<string, unknown>

/** A plain object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `join('apps', 0)` → `apps[0]`; `join('apps[0]', 'name')` → `apps[0].name`. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path ? `${path}.${key}` : key
}

/** Throws a ConfigError for the first place `input` breaks `schema`. */
export function checkSchema(schema: TSchema, input: unknown): void {
  const errors = flatten([...Errors(schema, input)])
  if (errors.length === 0) return
  throw toConfigError(errors)
}

/** A union's own error hides why each branch failed: the branch that got deepest explains it (an object given for `object | null`). */
function flatten(errors: ValueError[]): ValueError[] {
  return errors.flatMap((e) => {
    if (e.type !== ValueErrorType.Union || !e.errors.length) return [e]
    const branches = e.errors.map((it) => flatten([...it]))
    const best = branches.reduce((a, b) => (maxDepth(b) > maxDepth(a) ? b : a))
    return maxDepth(best) > depth(e.path) ? best : [e]
  })
}

function maxDepth(errors: ValueError[]): number {
  return errors.reduce((m, e) => Math.max(m, depth(e.path)), -1)
}

function toConfigError(errors: ValueError[]): ConfigError {
  const unknown = errors.find((e) => e.type === ValueErrorType.ObjectAdditionalProperties)
  if (unknown) {
    const key = decode(unknown.path.split('/').at(-1) ?? '')
    const allowed = Object.keys((unknown.schema as { properties?: object }).properties ?? {})
    const near = didYouMean(key, allowed)
    return new ConfigError(fieldPath(unknown.path), `unknown field${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`)
  }
  // The deepest place wins; there, the union's own description says what is accepted.
  const deepest = errors.reduce((a, b) => (depth(b.path) > depth(a.path) ? b : a))
  const missing = errors.find((e) => e.type === ValueErrorType.ObjectRequiredProperty && depth(e.path) >= depth(deepest.path))
  if (missing) return new ConfigError(fieldPath(missing.path), 'required')
  type Node = { description?: string; const?: unknown; anyOf?: Node[] }
  const node = errors.filter((e) => e.path === deepest.path).map((e) => e.schema as Node).find((s) => typeof s.description === 'string') ?? (deepest.schema as Node)
  const path = fieldPath(deepest.path)
  // An enum: a union of string constants (or a single one).
  const values = (node.anyOf ?? [node]).map((m) => m.const)
  if (values.every((v) => typeof v === 'string')) return new ConfigError(path, `must be one of: ${values.join(', ')}`)
  // A union without words of its own (`object | null`) speaks through its object.
  const description = node.description ?? node.anyOf?.find((m) => typeof m.description === 'string')?.description
  if (description) return new ConfigError(path, `is not valid. Expected: ${description}`)
  // TypeBox's own words ("Expected string"), never the schema's internals: a pattern is no help to an operator.
  return new ConfigError(path, deepest.type === ValueErrorType.StringPattern ? 'must have the documented form (see docs/service.md)' : `is not valid: ${deepest.message.toLowerCase()}`)
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1
}

function decode(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** `/apps/0/userSig` → `apps[0].userSig`. */
function fieldPath(pointer: string): string {
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const part = decode(raw)
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part
  }
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

// ---- Readers of values the schema accepted --------------------------------------------------------------------------

/** The default a schema field declares (the one place defaults are written). */
export function defaultOf<T>(field: { default?: unknown }): T {
  return field.default as T
}

/** An Int field's value as a number: digits are read, and held to the field's own bounds (the schema's). */
export function intOf(v: number | string, path: string, field: TInt): number {
  const n = typeof v === 'string' ? Number(v) : v
  const { minimum = 0, maximum = Number.MAX_SAFE_INTEGER } = field.anyOf[0]
  if (!Number.isSafeInteger(n) || n < minimum || n > maximum) throw new ConfigError(path, `must be an integer ${minimum}..${maximum}`)
  return n
}

/** A Bool field's value (`"true"` is true), or `dflt` when absent. */
export function boolOf(v: boolean | 'true' | 'false' | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v === true || v === 'true'
}

/** A StrList field's value as a list (a comma-separated string is split); absent is empty. */
export function listOf(v: string | string[] | undefined | null): string[] {
  if (v === undefined || v === null) return []
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v
}

/**
 * Seconds from a duration field: a number of seconds, or the core's one duration grammar (parseDuration: "90s", "30m",
 * "12h", "7d", "2w", "500ms"). The range is checked here because a JSON Schema cannot read "2w".
 */
export function seconds(v: unknown, path: string, opts: { min?: number; max?: number } = {}): number {
  const s = parseDuration(v)
  if (Number.isNaN(s)) throw new ConfigError(path, `must be a duration: ${DURATION_WORDS}`)
  if (s < (opts.min ?? 0) || s > (opts.max ?? Number.MAX_SAFE_INTEGER)) {
    throw new ConfigError(path, `must be a duration between ${opts.min ?? 0}s and ${opts.max ?? 'any'}s`)
  }
  return s
}

/** `seconds`, or `dflt` when absent. */
export function optSeconds(v: unknown, path: string, dflt: number, opts: { min?: number; max?: number } = {}): number {
  return v === undefined || v === null ? dflt : seconds(v, path, opts)
}

/** An absolute http(s) URL; with `httpsUnlessLoopback`, plain http only for 127.0.0.1, ::1 and localhost. */
export function url(s: string, path: string, opts: { httpsUnlessLoopback?: boolean } = {}): URL {
  let u: URL
  try {
    u = new URL(s)
  } catch {
    throw new ConfigError(path, 'must be an absolute URL')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(path, 'must be an http(s) URL')
  if (opts.httpsUnlessLoopback && u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new ConfigError(path, 'must use https (plain http is only accepted for 127.0.0.1, ::1 and localhost)')
  }
  return u
}

/** 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(h: string): boolean {
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

/** An HTTP header name, lower-cased. */
export function headerName(v: string, path: string): string {
  const h = v.toLowerCase()
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)) throw new ConfigError(path, 'must be an HTTP header name')
  return h
}
