/**
 * The app-side helper, `usersig/client`: fetches UserSigs from the issuing service, caches
 * them, refreshes before `refreshAt` on the server's clock (corrected for this device's clock skew with
 * `serverTime`), shares one refresh among concurrent callers, and retries with backoff.
 *
 * No imports and no Node built-ins: it runs in browsers, mini-programs (with a fetch), Node, Deno, Bun and workers.
 *
 * @example
 * const provider = createUserSigProvider({
 *   endpoint: 'https://api.example.com/v1/usersig',
 *   getHeaders: async () => ({ authorization: `Bearer ${await getIdToken()}` }),
 * })
 * const { userId, userSig, sdkAppId } = await provider.getCredentials()
 * await chat.login({ userID: userId, userSig })
 * // IM: when the SDK says the sig expired, log in again with a fresh one (other kicks are left alone).
 * chat.on(TencentCloudChat.EVENT.KICKED_OUT, provider.onUserSigExpired((sig) => chat.login({ userID: userId, userSig: sig })))
 * // TRTC: on an enterRoom failure, ask whether a fresh sig would help.
 * if (provider.handleError(err)) await trtc.enterRoom({ ...params, userSig: await provider.getUserSig() })
 */

/** What the service answers (POST /v1/usersig or /v1/private-map-key). Times are unix seconds, server clock. */
export interface UserSigCredentials {
  sdkAppId: number
  userId: string
  /**
   * The UserSig; from /v1/private-map-key the same PrivateMapKey as `privateMapKey` (deprecated there, removed in the
   * next release: read `privateMapKey`).
   */
  userSig: string
  /** From /v1/private-map-key: the PrivateMapKey to pass when entering the room. */
  privateMapKey?: string
  issuedAt: number
  expiresAt: number
  refreshAt: number
  serverTime: number
  privileges?: number
  privilegeNames?: string[]
  roomId?: number
  strRoomId?: string
}

/** The part of `fetch` this uses, so any fetch (browser, Node, a mini-program adapter) fits. */
export type FetchLike = (input: string, init: {
  method: string
  headers: Record<string, string>
  body: string
  credentials?: 'omit' | 'same-origin' | 'include'
  // `any`, not a signal type of our own: the platform fetch (whose init wants the lib's AbortSignal) must fit here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  signal?: any
}) => Promise<{ status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }>

/**
 * The host globals this uses, typed here rather than taken from a lib: the file compiles with `lib: ["ES2022"]` and
 * `types: []` (as the core package does), and works where any of them is missing (no AbortController: no timeout).
 */
interface Host {
  fetch?: FetchLike | undefined
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(id: unknown): void
  AbortController?: (new () => { signal: unknown; abort(): void }) | undefined
}
declare const fetch: FetchLike | undefined
declare const setTimeout: Host['setTimeout']
declare const clearTimeout: Host['clearTimeout']
declare const AbortController: Host['AbortController']
// Each one read with `typeof` when used (never through globalThis, which older engines lack; a fetch installed after
// this module loaded is still found), and called as a plain function (a browser's fetch refuses another `this`).
const host: Host = {
  get fetch(): FetchLike | undefined { return typeof fetch === 'function' ? (input, init) => fetch(input, init) : undefined },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
  get AbortController(): Host['AbortController'] { return typeof AbortController === 'function' ? AbortController : undefined },
}

/** Where `createUserSigProvider` fetches UserSigs and how it caches, refreshes and retries. */
export interface UserSigProviderOptions {
  /** The service endpoint, e.g. "https://api.example.com/v1/usersig" (or /v1/private-map-key). */
  endpoint: string
  /** Fixed headers (your app's credentials) … */
  headers?: Record<string, string>
  /** … or headers computed per request (a fresh ID token), merged over `headers`. */
  getHeaders?: () => Record<string, string> | Promise<Record<string, string>>
  /** The JSON body: `{ sdkAppId, expiresIn }`, or for a PrivateMapKey `{ strRoomId, privileges }`. Default `{}`. */
  body?: Record<string, unknown>
  /** Browser fetch credentials mode, "include" for cookie sessions (forward auth) across origins. */
  credentials?: 'omit' | 'same-origin' | 'include'
  /** The fetch to use (default the global one, looked up at each call). */
  fetch?: FetchLike
  /** Clock in milliseconds (default Date.now). */
  now?: () => number
  /** Refresh this many seconds earlier than the service's `refreshAt` (default 0). */
  refreshMargin?: number
  /** A sig with less than this many seconds left is not handed out; callers wait for a new one (default 30: TRTC reconnects need it). */
  minValidity?: number
  /** Retries after the first attempt for network errors, 429 and 5xx (default 3). */
  retries?: number
  /** First retry delay in ms, doubled each time, with jitter (default 500). */
  retryDelay?: number
  /** Upper bound for one delay in ms (default 10000); a Retry-After longer than this is passed on as the error. */
  maxRetryDelay?: number
  /** Per-attempt timeout in ms (default 10000). */
  timeout?: number
  /** Called when a background refresh fails (the cached sig is still served while valid). */
  onError?: (error: unknown) => void
  /** For tests: how to wait. */
  sleep?: (ms: number) => Promise<void>
}

/** A cached, self-refreshing source of UserSigs for one client. */
export interface UserSigProvider {
  /** The UserSig string, from cache when fresh. */
  getUserSig(): Promise<string>
  /** The whole answer (userId, sdkAppId, times), from cache when fresh. */
  getCredentials(): Promise<UserSigCredentials>
  /** Fetches a new one now (concurrent callers share it). */
  refresh(): Promise<UserSigCredentials>
  /** Drops the cached sig, e.g. after a kick or a 70001; the next call fetches. */
  invalidate(): void
  /** The current time on the service's clock, in unix seconds (this device's clock corrected by the last serverTime). */
  serverNow(): number
  /**
   * A handler for IM's `onUserSigExpired` (native SDKs: no argument) or the web SDK's KICKED_OUT event: invalidates,
   * fetches a new sig and calls `relogin` with it. Errors go to `onError`. Resolves true when it logged in again.
   *
   * Kick-aware: a KICKED_OUT event for another reason (another device or instance logged in as this user, or a REST
   * kick) is left alone and resolves false. Logging in again there would kick the other session, which would do the
   * same: a login war. An error passed instead of an event re-logs in only for the expiry codes (isUserSigExpiredError).
   */
  onUserSigExpired(relogin: (userSig: string, credentials: UserSigCredentials) => unknown): (event?: unknown) => Promise<boolean>
  /**
   * For SDK error handlers: true (and the cache is dropped) when the error means the sig expired, so a fresh
   * one will help: IM 6206 / 70001, TRTC web 5502 / 5503 (re-entering after a long drop). Retry once, not in a loop.
   */
  handleError(error: unknown): boolean
}

/** The service refused (4xx other than 429) or kept failing. `code` is the service's error code when it sent one. */
export class UserSigProviderError extends Error {
  override name = 'UserSigProviderError'
  readonly status: number | undefined
  readonly code: string
  constructor(message: string, code: string, status?: number, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.status = status
  }
}

/** Error codes after which a new UserSig helps. */
export const USERSIG_EXPIRED_CODES: readonly number[] = [6206, 70001, 5502, 5503]

/** True for an error (or error code) after which a new UserSig helps: 6206, 70001, 5502, 5503. */
export function isUserSigExpiredError(error: unknown): boolean {
  const codes: unknown[] = [error]
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>
    codes.push(e['code'], e['extraCode'], e['errorCode'], (e['data'] as Record<string, unknown> | undefined)?.['code'])
  }
  return codes.some((c) => (typeof c === 'number' || (typeof c === 'string' && /^-?\d+$/.test(c))) && USERSIG_EXPIRED_CODES.includes(Number(c)))
}

/** The web IM SDK's KICKED_OUT reason for an expired UserSig (TencentCloudChat.TYPES.KICKED_OUT_USERSIG_EXPIRED). */
export const KICKED_OUT_USERSIG_EXPIRED = 'userSigExpired'

/**
 * Whether what an IM expiry or kick callback received means "log in again with a new UserSig": nothing (the native
 * SDKs' onUserSigExpired), a KICKED_OUT event or its data whose type is KICKED_OUT_USERSIG_EXPIRED, or an error with
 * an expiry code. Another kick type ("multipleAccount", "multipleDevice", "REST_API_Kick") or any other error: false.
 */
export function isUserSigExpiredKick(event: unknown): boolean {
  if (event === undefined || event === null) return true
  if (typeof event !== 'object') return isUserSigExpiredError(event)
  const e = event as Record<string, unknown>
  const data = e['data'] as Record<string, unknown> | undefined
  const type = data !== null && typeof data === 'object' && typeof data['type'] === 'string' ? data['type'] : typeof e['type'] === 'string' ? e['type'] : undefined
  if (type !== undefined) return type === KICKED_OUT_USERSIG_EXPIRED
  return isUserSigExpiredError(event)
}

function isIssued(v: unknown): v is UserSigCredentials {
  const o = v as Record<string, unknown> | null
  return !!o && typeof o['userSig'] === 'string' && typeof o['userId'] === 'string' && typeof o['sdkAppId'] === 'number' &&
    typeof o['expiresAt'] === 'number' && typeof o['refreshAt'] === 'number' && typeof o['serverTime'] === 'number' && typeof o['issuedAt'] === 'number'
}

/**
 * A UserSig provider: fetches from your issuing endpoint, caches until the service's `refreshAt`, refreshes in the
 * background, retries with backoff, and shares one request among concurrent callers.
 * @example
 * ```ts
 * const provider = createUserSigProvider({ endpoint: '/v1/usersig' })
 * const userSig = await provider.getUserSig()
 * ```
 */
export function createUserSigProvider(options: UserSigProviderOptions): UserSigProvider {
  if (typeof options?.endpoint !== 'string' || options.endpoint === '') throw new TypeError('createUserSigProvider: endpoint is required')
  const doFetch: FetchLike = options.fetch ?? ((input, init) => {
    if (!host.fetch) throw new TypeError('createUserSigProvider: no global fetch here; pass options.fetch')
    return host.fetch(input, init)
  })
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => { host.setTimeout(r, ms) }))
  const retries = options.retries ?? 3
  const baseDelay = options.retryDelay ?? 500
  const maxDelay = options.maxRetryDelay ?? 10_000
  const timeout = options.timeout ?? 10_000
  const margin = options.refreshMargin ?? 0
  const minValidity = options.minValidity ?? 30

  let cached: UserSigCredentials | undefined
  /** serverTime − local time, seconds. */
  let skew = 0
  let inflight: Promise<UserSigCredentials> | undefined
  let generation = 0

  const serverNow = (): number => now() / 1000 + skew

  async function attempt(): Promise<UserSigCredentials> {
    const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers, ...(options.getHeaders ? await options.getHeaders() : {}) }
    const controller = typeof host.AbortController === 'function' ? new host.AbortController() : undefined
    const timer = controller ? host.setTimeout(() => controller.abort(), timeout) : undefined
    const sent = now()
    try {
      const res = await doFetch(options.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(options.body ?? {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(controller ? { signal: controller.signal } : {}),
      })
      let body: unknown
      try {
        body = await res.json()
      } catch {
        body = undefined
      }
      if (res.status === 200 && isIssued(body)) {
        // The answer was made somewhere between sending and receiving: take the midpoint.
        skew = body.serverTime - (sent + now()) / 2000
        return body
      }
      const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
      const code = typeof err?.code === 'string' ? err.code : res.status === 200 ? 'BAD_RESPONSE' : `HTTP_${res.status}`
      const message = typeof err?.message === 'string' ? err.message : `the UserSig service answered ${res.status}`
      const e = new UserSigProviderError(message, code, res.status)
      const retryable = res.status === 429 || res.status >= 500
      throw Object.assign(e, { retryable, retryAfter: Number(res.headers.get('retry-after')) || undefined })
    } catch (e) {
      if (e instanceof UserSigProviderError) throw e
      // Network failure or timeout: worth retrying.
      throw Object.assign(new UserSigProviderError('the UserSig service could not be reached', 'NETWORK_ERROR', undefined, { cause: e }), { retryable: true })
    } finally {
      if (timer !== undefined) host.clearTimeout(timer)
    }
  }

  async function fetchWithRetry(): Promise<UserSigCredentials> {
    for (let i = 0; ; i++) {
      try {
        return await attempt()
      } catch (e) {
        const x = e as UserSigProviderError & { retryable?: boolean; retryAfter?: number }
        if (!x.retryable || i >= retries) throw e
        // A server that asks for a longer wait than we are willing to make gets its answer passed on, not a doomed retry.
        if (x.retryAfter !== undefined && x.retryAfter * 1000 > maxDelay) throw e
        const backoff = Math.random() * Math.min(maxDelay, baseDelay * 2 ** i)
        await sleep(x.retryAfter !== undefined ? x.retryAfter * 1000 : backoff)
      }
    }
  }

  function refresh(): Promise<UserSigCredentials> {
    if (inflight) return inflight
    const gen = generation
    const p = fetchWithRetry().then(
      (r) => {
        if (gen === generation) cached = r
        return r
      },
    ).finally(() => {
      if (inflight === p) inflight = undefined
    })
    inflight = p
    return p
  }

  async function getCredentials(): Promise<UserSigCredentials> {
    const t = serverNow()
    if (cached && t < cached.refreshAt - margin) return cached
    if (cached && t < cached.expiresAt - minValidity) {
      // Still good: hand it out and refresh in the background.
      refresh().catch((e) => options.onError?.(e))
      return cached
    }
    return refresh()
  }

  function invalidate(): void {
    cached = undefined
    inflight = undefined
    generation++
  }

  return {
    getCredentials,
    getUserSig: async () => (await getCredentials()).userSig,
    refresh,
    invalidate,
    serverNow,
    onUserSigExpired(relogin) {
      return async (event?: unknown) => {
        if (!isUserSigExpiredKick(event)) return false
        invalidate()
        try {
          const c = await refresh()
          await relogin(c.userSig, c)
          return true
        } catch (e) {
          options.onError?.(e)
          return false
        }
      }
    },
    handleError(error) {
      if (!isUserSigExpiredError(error)) return false
      invalidate()
      return true
    },
  }
}
