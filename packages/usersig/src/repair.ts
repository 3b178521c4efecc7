/**
 * Paste repair: users paste what they have (an Authorization header, a cookie, a JSON response, a URL, a token broken
 * over lines by an e-mail client). `repairUserSigInput` takes the token out of it and says what it removed. A fixed
 * number of rounds, each linear in the input, over an input whose length is checked first.
 * @module
 */

/** What was taken away from the input, in order. */
export interface Repair {
  /** The token left after the repairs (the input itself when nothing was repaired). */
  token: string
  /** One short line per repair, e.g. 'removed a "Bearer " prefix'. Never contains the token. */
  removed: string[]
}

/** Longer inputs are returned untouched (a JSON response with a UserSig in it is a few KiB at most). */
const MAX_REPAIR_INPUT = 64 * 1024
const ROUNDS = 6

// The field names of the issuing service's and the official samples' responses, in the order they are looked for.
const FIELDS = ['userSig', 'UserSig', 'usersig', 'user_sig', 'privateMapKey', 'PrivateMapKey', 'privatemapkey', 'private_map_key'] as const
const QUERY_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(['usersig', 'user_sig', 'privatemapkey', 'private_map_key', 'sig'])
const PREFIXES: readonly [RegExp, string][] = [
  [/^authorization\s*:\s*/i, 'an "Authorization:" header name'],
  [/^bearer\s+/i, 'a "Bearer " prefix'],
  [/^(?:usersig|user_sig|privatemapkey|private_map_key)\s*[=:]\s*/i, 'a "usersig=" prefix'],
]
const PERCENT = /%(?:2A|5F|2D|2B|2F|3D)/i

function fromJson(t: string): { token: string; what: string } | null {
  if (!t.startsWith('{') || !t.endsWith('}')) return null
  let json: unknown
  try { json = JSON.parse(t) } catch { return null }
  // The field itself, or one level down (`{ "data": { "userSig": … } }`, as some samples wrap their response).
  const levels: unknown[] = [json]
  if (json !== null && typeof json === 'object') for (const k of ['data', 'result', 'Response']) levels.push((json as Record<string, unknown>)[k])
  for (const level of levels) {
    if (level === null || typeof level !== 'object') continue
    for (const name of FIELDS) {
      const v = (level as Record<string, unknown>)[name]
      if (typeof v === 'string' && v !== '') return { token: v, what: `took the "${name}" field of a JSON response` }
    }
  }
  return null
}

function fromUrl(t: string): { token: string; what: string } | null {
  const q = t.indexOf('?')
  if (q < 0 || !(/^https?:\/\//i.test(t) || t.startsWith('/') || t.startsWith('?'))) return null
  const hash = t.indexOf('#', q)
  for (const pair of t.slice(q + 1, hash < 0 ? t.length : hash).split('&')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq)
    if (!QUERY_NAMES.has(name.toLowerCase())) continue
    let value = pair.slice(eq + 1)
    try { value = decodeURIComponent(value.replace(/\+/g, '%20')) } catch { /* keep it raw */ }
    if (value !== '') return { token: value, what: `took the "${name}" parameter of a URL's query string` }
  }
  return null
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'" || c === '`' || c === '\u201c' || c === '\u201d'
}

/** One repair, or null when the input looks like a bare token. */
function step(t: string): { token: string; what: string } | null {
  const trimmed = t.trim()
  if (trimmed !== t) return { token: trimmed, what: 'removed surrounding whitespace or line breaks' }
  const json = fromJson(t)
  if (json) return json
  const url = fromUrl(t)
  if (url) return url
  for (const [re, what] of PREFIXES) {
    const m = re.exec(t)
    if (m) return { token: t.slice(m[0].length), what: `removed ${what}` }
  }
  if (t.length >= 2 && isQuote(t[0]) && isQuote(t[t.length - 1])) return { token: t.slice(1, -1), what: 'removed surrounding quotes' }
  if (t.endsWith(';') || t.endsWith(',')) return { token: t.slice(0, -1), what: `removed a trailing "${t[t.length - 1]}"` }
  if (PERCENT.test(t)) {
    try {
      const d = decodeURIComponent(t)
      if (d !== t) return { token: d, what: 'decoded percent-encoding (%2A, %5F…)' }
    } catch { /* not percent-encoded after all */ }
  }
  if (/\s/.test(t)) return { token: t.replace(/\s+/g, ''), what: 'removed line breaks and spaces inside the token (e-mail or terminal wrapping)' }
  return null
}

/**
 * Takes the UserSig or PrivateMapKey out of what a user pasted, and says what was removed.
 * @example repairUserSigInput('Bearer eJyrVgr…') // { token: 'eJyrVgr…', removed: ['removed a "Bearer " prefix'] }
 */
export function repairUserSigInput(input: string): Repair {
  if (typeof input !== 'string' || input.length > MAX_REPAIR_INPUT) return { token: input, removed: [] }
  let token = input
  const removed: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const r = step(token)
    if (r === null || r.token === '') break
    token = r.token
    removed.push(r.what)
  }
  return { token, removed }
}
