/**
 * Small field checkers for the config validator. Each takes the value and its path
 * (`apps[0].sdkAppId`) and throws ConfigError naming that path. Values are never echoed:
 * a misplaced secret must not end up in an error message.
 */
import { DURATION_PATTERN } from './schema.js'

/** A configuration problem, found at start (or at SIGHUP reload). `field` is the path of the bad setting. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly field: string
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`config field "${field}": ${message}`, options)
    this.field = field
  }
}

export type Obj = Record<string, unknown>

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** An object (its keys were checked against the schema before: see schema-check.ts). */
export function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ConfigError(path || 'config', 'must be an object')
  return v
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path ? `${path}.${key}` : key
}

export function optObj(v: unknown, path: string): Obj {
  return v === undefined || v === null ? {} : obj(v, path)
}

export function str(v: unknown, path: string, opts: { nonEmpty?: boolean } = {}): string {
  if (typeof v !== 'string') throw new ConfigError(path, 'must be a string')
  if ((opts.nonEmpty ?? true) && v.trim() === '') throw new ConfigError(path, 'must not be empty')
  return v
}

export function optStr(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path)
}

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v === 'string' && /^\d+$/.test(v)) v = Number(v)
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(path, `must be an integer ${min}..${max}`)
  }
  return v
}

export function bool(v: unknown, path: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt
  if (v === 'true') return true
  if (v === 'false') return false
  if (typeof v !== 'boolean') throw new ConfigError(path, 'must be true or false')
  return v
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[], dflt: T): T {
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ConfigError(path, `must be one of: ${values.join(', ')}`)
  }
  return v as T
}

export function strList(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean)
  if (!Array.isArray(v)) throw new ConfigError(path, 'must be a list of strings')
  return v.map((x, i) => str(x, join(path, i)))
}

export function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw new ConfigError(path, 'must be a list')
  return v
}

const UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }
const DURATION = new RegExp(DURATION_PATTERN)

/** Seconds from a number of seconds or a string such as "90s", "30m", "12h", "7d", "2w", "500ms": every duration field. */
export function seconds(v: unknown, path: string, opts: { min?: number; max?: number } = {}): number {
  let s: number
  if (typeof v === 'number') s = v
  else if (typeof v === 'string') {
    const m = DURATION.exec(v)
    if (!m) throw new ConfigError(path, 'must be a duration: seconds, or a string such as "90s", "30m", "12h", "7d", "2w"')
    s = Number(m[1]) * UNIT[m[2] ?? 's']!
  } else {
    throw new ConfigError(path, 'must be a duration: seconds, or a string such as "90s", "30m", "12h", "7d", "2w"')
  }
  if (!Number.isFinite(s) || s < (opts.min ?? 0) || s > (opts.max ?? Number.MAX_SAFE_INTEGER)) {
    throw new ConfigError(path, `must be a duration between ${opts.min ?? 0}s and ${opts.max ?? 'any'}s`)
  }
  return s
}

export function optSeconds(v: unknown, path: string, dflt: number, opts: { min?: number; max?: number } = {}): number {
  return v === undefined || v === null ? dflt : seconds(v, path, opts)
}

export function url(v: unknown, path: string, opts: { httpsUnlessLoopback?: boolean } = {}): URL {
  const s = str(v, path)
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

export function isLoopbackHost(h: string): boolean {
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}
