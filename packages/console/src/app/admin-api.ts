/**
 * The service's admin API, as the admin view uses it. Only the admin view calls this module; the debugger and the
 * generator never reach the network.
 */

export interface AdminApp {
  sdkAppId: number
  algorithm: string
  /** The key's short public name (8 hex characters); never the key. */
  keyId: string
  name?: string
  isDefault?: boolean
}

export class AdminApiError extends Error {
  override name = 'AdminApiError'
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** The body of POST /v1/admin/usersig; the allow… switches say that an unusual value is intended (issue 15 §3). */
export interface IssueBody {
  sdkAppId?: number
  userId: string
  expiresIn?: number | string
  allowUnusualUserId?: boolean
  allowUnusualLifetime?: boolean
}

export interface AdminClient {
  apps(): Promise<AdminApp[]>
  issue(body: IssueBody): Promise<Record<string, unknown>>
  /** POST /v1/explain: the service checks a token with a configured app's key (the key never leaves the service). */
  explain(body: { token: string; userId?: string; sdkAppId?: number }): Promise<Record<string, unknown>>
  audit(limit: number): Promise<Record<string, unknown>[]>
  metrics(): Promise<string>
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export function adminClient(baseUrl: string, apiKey: string, fetchImpl: FetchLike = (i, init) => fetch(i, init)): AdminClient {
  const base = baseUrl.replace(/\/+$/, '')
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' }

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response
    try {
      res = await fetchImpl(base + path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) }, credentials: 'omit', cache: 'no-store' })
    } catch (e) {
      throw new AdminApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e))
    }
    if (!res.ok) {
      let code = `HTTP_${res.status}`
      let message = res.statusText || code
      try {
        const body = (await res.json()) as { error?: { code?: string; message?: string } }
        if (body.error?.code) code = body.error.code
        if (body.error?.message) message = body.error.message
      } catch {
        // Not JSON: keep the status line.
      }
      throw new AdminApiError(res.status, code, message)
    }
    return res
  }

  async function json(path: string, init?: RequestInit): Promise<unknown> {
    return (await call(path, init)).json()
  }

  return {
    async apps() {
      const body = await json('/v1/admin/apps')
      const list = Array.isArray(body) ? body : (body as { apps?: unknown }).apps
      if (!Array.isArray(list)) return []
      return list.map((a: Record<string, unknown>): AdminApp => ({
        sdkAppId: Number(a['sdkAppId']),
        algorithm: String(a['algorithm'] ?? ''),
        keyId: String(a['keyId'] ?? ''),
        ...(typeof a['name'] === 'string' ? { name: a['name'] } : {}),
        ...(a['default'] === true ? { isDefault: true } : {}),
      }))
    },
    async issue(body) {
      return (await json('/v1/admin/usersig', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })) as Record<string, unknown>
    },
    async explain(body) {
      return (await json('/v1/explain', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })) as Record<string, unknown>
    },
    async audit(limit) {
      const body = await json(`/v1/admin/audit?limit=${encodeURIComponent(String(limit))}`)
      const list = Array.isArray(body) ? body : ((body as { events?: unknown }).events ?? (body as { items?: unknown }).items)
      return Array.isArray(list) ? (list as Record<string, unknown>[]) : []
    },
    async metrics() {
      return (await call('/metrics', { headers: { accept: 'text/plain' } })).text()
    },
  }
}

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
  type: string
  help: string
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4) into samples. Histogram and summary series
 * (_bucket/_sum/_count) keep their family's type; unparseable lines are skipped.
 */
export function parseMetrics(text: string): Sample[] {
  const types = new Map<string, string>()
  const helps = new Map<string, string>()
  const out: Sample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    if (line.startsWith('#')) {
      const m = /^#\s+(TYPE|HELP)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line)
      if (m) (m[1] === 'TYPE' ? types : helps).set(m[2]!, m[3]!)
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/.exec(line)
    if (!m) continue
    const name = m[1]!
    const value = parseValue(m[4]!)
    if (value === undefined) continue
    const family = familyOf(name, types)
    out.push({ name, labels: parseLabels(m[3] ?? ''), value, type: types.get(family) ?? 'untyped', help: helps.get(family) ?? '' })
  }
  return out
}

function familyOf(name: string, types: Map<string, string>): string {
  if (types.has(name)) return name
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length)
  }
  return name
}

function parseValue(v: string): number | undefined {
  if (v === '+Inf') return Infinity
  if (v === '-Inf') return -Infinity
  if (v === 'NaN') return NaN
  const n = Number(v)
  return Number.isNaN(n) ? undefined : n
}

function parseLabels(s: string): Record<string, string> {
  const labels: Record<string, string> = {}
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) {
    labels[m[1]!] = m[2]!.replace(/\\(["\\n])/g, (_x, ch: string) => (ch === 'n' ? '\n' : ch))
  }
  return labels
}

/** The counters and gauges worth showing: the service's own by default, the runtime's on request. */
export function interestingSamples(samples: readonly Sample[], includeRuntime: boolean): Sample[] {
  return samples.filter((s) => {
    // Counters and gauges, plus the request count of histograms and summaries.
    const counted = (s.type === 'histogram' || s.type === 'summary') && s.name.endsWith('_count')
    if (s.type !== 'counter' && s.type !== 'gauge' && s.type !== 'untyped' && !counted) return false
    const runtime = /^(process_|nodejs_)/.test(s.name)
    return includeRuntime || !runtime
  })
}
