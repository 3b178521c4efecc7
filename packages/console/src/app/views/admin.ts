/**
 * Admin: talks to the issuing service with its admin API key. Lists the configured apps (fingerprints, never keys),
 * issues a UserSig through the service, shows recent audit events and live counters from /metrics.
 * The API key is kept in memory, or in sessionStorage (this tab only) when the user asks for it.
 */
import { adminClient, AdminApiError, interestingSamples, parseMetrics, type AdminApp, type AdminClient, type IssueBody, type Sample } from '../admin-api.js'
import { lineChart } from '../charts.js'
import { copyText, errorContent, field, refreshedRegion, scrollRegion, secretInput, textArea, textInput } from '../components.js'
import { decodeUserSig, parseExpiresIn } from '../core.js'
import { h, replace } from '../dom.js'
import { fromExplain, verdictBlock } from '../findings.js'
import { fmtDuration, fmtLocal } from '../format.js'
import { getLang, t, tMaybe } from '../i18n.js'
import { MetricsHistory, snapshot } from '../metrics-history.js'
import type { View, ViewCtx } from '../view.js'
import { allowBox, unusualLifetime, unusualUserId } from '../unusual.js'

export const ADMIN_KEY_SESSION = 'usersig.console.adminKey'
const POLL_MS = 5000
const AUDIT_LIMIT = 20

export function adminView(ctx: ViewCtx): View {
  const { state } = ctx
  const a = state.admin
  let client: AdminClient | null = null
  let apps: AdminApp[] = []
  let poll: ReturnType<typeof setInterval> | undefined
  let disposed = false

  const base = field({ id: 'adm-base', label: t('adm.baseUrl'), help: t('adm.baseUrl.help'),
    control: textInput({ value: a.baseUrl, type: 'url', placeholder: 'http://127.0.0.1:8080', onInput: (v) => { a.baseUrl = v; base.setError() } }) })
  const key = secretInput({ id: 'adm-key', value: a.apiKey, showLabel: t('btn.show'), hideLabel: t('btn.hide'), onInput: (v) => { a.apiKey = v; keyField.setError() } })
  const keyField = field({ id: 'adm-key', label: t('adm.apiKey'), help: t('adm.apiKey.help'), control: key.input, inline: key.toggle })
  const remember = h('input', { type: 'checkbox', id: 'adm-remember', checked: a.remember })
  remember.addEventListener('change', () => { a.remember = remember.checked; if (!a.remember) forgetKey() })
  const connectBtn = h('button', { type: 'submit', class: 'primary', id: 'adm-connect' }, t('adm.connect'))
  const disconnectBtn = h('button', { type: 'button', class: 'secondary', id: 'adm-disconnect' }, t('adm.disconnect'))
  disconnectBtn.addEventListener('click', () => { disconnect(); forgetKey(); a.apiKey = ''; key.input.value = ''; key.input.focus() })
  const connStatus = h('div', { class: 'form-error', id: 'adm-conn-error', 'aria-live': 'polite' })
  const connForm = h('form', { id: 'adm-connect-form', novalidate: true },
    base.el, keyField.el,
    h('div', { class: 'field' }, h('label', { class: 'inline', for: 'adm-remember' }, remember, ' ', t('adm.remember'))),
    connStatus,
    h('div', { class: 'actions' }, connectBtn, disconnectBtn))
  connForm.addEventListener('submit', (ev) => { ev.preventDefault(); void connect() })

  // ---- apps ----
  const appsBox = h('div', { id: 'adm-apps' }, h('p', { class: 'muted' }, t('adm.notConnected')))

  // ---- issue ----
  const appSelect = h('select', null)
  appSelect.addEventListener('change', () => { a.issueSdkAppId = appSelect.value })
  const appField = field({ id: 'adm-issue-app', label: t('field.sdkAppId'), control: appSelect })
  const issueUser = field({ id: 'adm-issue-user', label: t('field.userId'), control: textInput({ value: a.issueUserId, onInput: (v) => { a.issueUserId = v; issueUser.setError() } }),
    extra: allowBox('adm-issue-allow-unusual-userid', t('unusual.userId.allow'), a.issueAllowUnusualUserId, (on) => { a.issueAllowUnusualUserId = on; issueUser.setError() }) })
  const issueExp = field({ id: 'adm-issue-exp', label: t('field.expiresIn'), help: t('adm.issue.expHelp'), control: textInput({ value: a.issueExpiresIn, placeholder: '1h', onInput: (v) => { a.issueExpiresIn = v; issueExp.setError() } }),
    extra: allowBox('adm-issue-allow-unusual-lifetime', t('unusual.lifetime.allow'), a.issueAllowUnusualLifetime, (on) => { a.issueAllowUnusualLifetime = on; issueExp.setError() }) })
  const issueError = h('div', { class: 'form-error', id: 'adm-issue-error', 'aria-live': 'polite' })
  const issueOut = textArea({ value: '', rows: 4, readOnly: true, onInput: () => {} })
  const issueOutField = field({ id: 'adm-issue-output', label: t('adm.issue.output'), control: issueOut })
  const issueMeta = h('div', { id: 'adm-issue-meta', class: 'meta' })
  const copyStatus = h('span', { class: 'status', 'aria-live': 'polite' })
  const copyBtn = h('button', { type: 'button', class: 'secondary', id: 'adm-issue-copy', disabled: true }, t('btn.copy'))
  copyBtn.addEventListener('click', () => { void copyText(issueOut.value, issueOut).then((ok) => { copyStatus.textContent = ok ? t('status.copied') : t('status.copyFailed') }) })
  const openBtn = h('button', { type: 'button', class: 'secondary', id: 'adm-issue-open', disabled: true }, t('gen.openInDebugger'))
  openBtn.addEventListener('click', () => { state.token = issueOut.value; ctx.navigate('debugger') })
  const issueForm = h('form', { id: 'adm-issue-form', novalidate: true },
    appField.el, issueUser.el, issueExp.el, issueError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'adm-issue-submit' }, t('adm.issue.submit'))),
    issueOutField.el, issueMeta, h('div', { class: 'actions' }, copyBtn, openBtn, copyStatus))
  issueForm.addEventListener('submit', (ev) => { ev.preventDefault(); void issue() })

  // ---- check a token against a configured app, in the service ----
  const checkToken = textArea({ value: state.token, rows: 4, onInput: (v) => { state.token = v; checkChanged() } })
  const checkTokenField = field({ id: 'adm-check-token', label: t('adm.check.token'), control: checkToken })
  const checkApp = h('select', null, h('option', { value: '' }, t('adm.check.appFromToken')))
  checkApp.addEventListener('change', checkChanged)
  const checkAppField = field({ id: 'adm-check-app', label: t('adm.check.app'), control: checkApp })
  const checkUser = textInput({ value: '', onInput: () => checkChanged() })
  const checkUserField = field({ id: 'adm-check-user', label: t('field.userId'), help: t('adm.check.userId.help'), control: checkUser })
  const checkUseToken = h('button', { type: 'button', class: 'secondary small', id: 'adm-check-use-token' }, t('adm.check.useToken'))
  checkUseToken.addEventListener('click', () => {
    try {
      checkUser.value = decodeUserSig(state.token.trim()).userId
    } catch {
      return // Not decodable: the service's answer will say why.
    }
    checkChanged()
  })
  const checkResult = h('div', { id: 'adm-check-result', 'aria-live': 'polite' })
  const checkForm = h('form', { id: 'adm-check-form', novalidate: true },
    checkTokenField.el, checkAppField.el, checkUserField.el,
    h('div', { class: 'actions' }, checkUseToken, h('button', { type: 'submit', class: 'primary', id: 'adm-check-submit' }, t('adm.check.submit'))),
    checkResult)
  checkForm.addEventListener('submit', (ev) => { ev.preventDefault(); void checkInService() })
  let checkGeneration = 0

  // ---- audit and metrics ----
  const auditBox = h('div', { id: 'adm-audit' })
  const auditRefresh = h('button', { type: 'button', class: 'secondary small', id: 'adm-audit-refresh' }, t('adm.refresh'))
  auditRefresh.addEventListener('click', () => { void refreshAudit() })
  const metricsBox = h('div', { id: 'adm-metrics' })
  // Polled tables keep their region (and so the keyboard focus and the scroll position) across refreshes.
  const auditRegion = refreshedRegion(t('adm.audit.label'))
  const metricsRegion = refreshedRegion(t('adm.metrics.label'))
  const metricsUpdated = h('p', { class: 'muted', id: 'adm-metrics-updated' })
  const runtimeBox = h('input', { type: 'checkbox', id: 'adm-runtime', checked: a.showRuntimeMetrics })
  runtimeBox.addEventListener('change', () => { a.showRuntimeMetrics = runtimeBox.checked; renderMetrics() })
  let lastSamples: Sample[] = []
  const history = new MetricsHistory()
  let charts: { destroy(): void }[] = []
  const chartsBox = h('div', { id: 'adm-charts', class: 'charts' })
  const rawMetrics = h('details', { class: 'sub', id: 'adm-metrics-raw' }, h('summary', null, t('adm.metrics.raw')),
    h('label', { class: 'inline', for: 'adm-runtime' }, runtimeBox, ' ', t('adm.metrics.runtime')), metricsBox)

  const connected = h('div', { id: 'adm-connected', hidden: true },
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-apps' }, h('h3', { id: 'adm-h-apps' }, t('adm.h.apps')), appsBox),
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-issue' }, h('h3', { id: 'adm-h-issue' }, t('adm.h.issue')), h('p', { class: 'help' }, t('adm.issue.help')), issueForm),
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-check' }, h('h3', { id: 'adm-h-check' }, t('adm.h.check')), h('p', { class: 'help' }, t('adm.check.help')), checkForm),
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-audit' }, h('div', { class: 'card-head' }, h('h3', { id: 'adm-h-audit' }, t('adm.h.audit')), auditRefresh), auditBox),
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-metrics' },
      h('h3', { id: 'adm-h-metrics' }, t('adm.h.metrics')),
      h('p', { class: 'help' }, t('adm.metrics.help', { s: POLL_MS / 1000 })),
      metricsUpdated, chartsBox, rawMetrics))

  async function connect(): Promise<void> {
    base.setError(); keyField.setError(); replace(connStatus)
    let ok = true
    const url = a.baseUrl.trim()
    if (!/^https?:\/\/[^/\s]+/i.test(url)) { base.setError(t('adm.err.baseUrl')); ok = false }
    if (a.apiKey === '') { keyField.setError(t('err.required')); ok = false }
    if (!ok) { connForm.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(); return }
    disconnect()
    const c = adminClient(url, a.apiKey)
    try {
      apps = await c.apps()
    } catch (e) {
      showConnError(e)
      return
    }
    if (disposed) return
    client = c
    if (a.remember) {
      try { sessionStorage.setItem(ADMIN_KEY_SESSION, a.apiKey) } catch { /* storage disabled: memory only */ }
    }
    renderApps()
    connected.hidden = false
    replace(connStatus, h('span', { class: 'ok' }, t('adm.connected', { n: apps.length })))
    void refreshAudit()
    void refreshMetrics()
    poll = setInterval(() => { void refreshMetrics(); void refreshAudit() }, POLL_MS)
  }

  function disconnect(): void {
    if (poll !== undefined) clearInterval(poll)
    poll = undefined
    client = null
    connected.hidden = true
  }

  function forgetKey(): void {
    try { sessionStorage.removeItem(ADMIN_KEY_SESSION) } catch { /* nothing stored */ }
  }

  function showConnError(e: unknown): void {
    if (e instanceof AdminApiError && (e.status === 401 || e.status === 403)) keyField.setError(t('adm.err.unauthorized'), undefined, `${e.code}: ${e.message}`)
    else if (e instanceof AdminApiError && e.status === 0) base.setError(t('adm.err.network'), undefined, e.message)
    else replace(connStatus, serviceError(e))
    connForm.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }

  function renderApps(): void {
    if (apps.length === 0) {
      replace(appsBox, h('p', { class: 'muted' }, t('adm.apps.none')))
    } else {
      replace(appsBox, scrollRegion(t('adm.apps.label'), h('table', { id: 'adm-apps-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('field.sdkAppId')), h('th', { scope: 'col' }, t('adm.apps.name')), h('th', { scope: 'col' }, t('adm.apps.algorithm')), h('th', { scope: 'col' }, t('adm.apps.keyId')))),
        h('tbody', null, apps.map((app) => h('tr', { 'data-sdkappid': app.sdkAppId },
          h('td', null, String(app.sdkAppId), app.isDefault ? [' ', h('span', { class: 'muted' }, t('adm.apps.default'))] : null),
          h('td', null, app.name ?? ''),
          h('td', null, h('code', null, app.algorithm)),
          h('td', { 'data-field': 'keyId' }, h('code', null, app.keyId))))))))
    }
    if (a.issueSdkAppId === '') a.issueSdkAppId = String(apps.find((app) => app.isDefault)?.sdkAppId ?? '')
    replace(appSelect, apps.map((app) => h('option', { value: String(app.sdkAppId), selected: String(app.sdkAppId) === a.issueSdkAppId }, `${app.sdkAppId}${app.name ? ` ${app.name}` : ''} (${app.algorithm})`)))
    if (!apps.some((app) => String(app.sdkAppId) === a.issueSdkAppId)) a.issueSdkAppId = appSelect.value
    replace(checkApp, h('option', { value: '' }, t('adm.check.appFromToken')),
      apps.map((app) => h('option', { value: String(app.sdkAppId) }, `${app.sdkAppId}${app.name ? ` ${app.name}` : ''}`)))
  }

  async function issue(): Promise<void> {
    issueUser.setError(); issueExp.setError(); appField.setError(); replace(issueError)
    if (!client) return
    if (a.issueUserId === '') { issueUser.setError(t('err.required')); issueUser.control.focus(); return }
    const body: IssueBody = { userId: a.issueUserId }
    if (a.issueSdkAppId !== '') body.sdkAppId = Number(a.issueSdkAppId)
    const exp = a.issueExpiresIn.trim()
    if (exp !== '') body.expiresIn = exp
    // The service refuses these too (issue 15 §3); said here first, in the page's language, with the box to tick.
    const userIdRefused = unusualUserId(body.userId, a.issueAllowUnusualUserId)
    const lifetimeRefused = unusualLifetime(exp === '' ? undefined : exp, a.issueAllowUnusualLifetime)
    if (userIdRefused) issueUser.setError(...userIdRefused)
    if (lifetimeRefused) issueExp.setError(...lifetimeRefused)
    if (userIdRefused || lifetimeRefused) { (userIdRefused ? issueUser : issueExp).control.focus(); return }
    if (a.issueAllowUnusualUserId) body.allowUnusualUserId = true
    if (a.issueAllowUnusualLifetime) body.allowUnusualLifetime = true
    // What was asked, in seconds, to tell the user when the service changed it (its limits clamp expiresIn).
    let asked: number | undefined
    try {
      asked = body.expiresIn === undefined ? undefined : parseExpiresIn(body.expiresIn, 'expiresIn', { allowUnusualLifetime: a.issueAllowUnusualLifetime })
    } catch {
      asked = undefined // The service says what is wrong with it.
    }
    replace(issueMeta)
    issueOut.value = ''
    copyBtn.disabled = openBtn.disabled = true
    try {
      const res = await client.issue(body)
      const sig = typeof res['userSig'] === 'string' ? res['userSig'] : ''
      issueOut.value = sig
      copyBtn.disabled = openBtn.disabled = sig === ''
      const issuedAt = Number(res['issuedAt'])
      const expiresAt = Number(res['expiresAt'])
      const given = expiresAt - issuedAt
      const rows: [string, string, Node | string][] = [
        ['sdkAppId', t('field.sdkAppId'), String(res['sdkAppId'] ?? '')],
        ['userId', t('field.userId'), String(res['userId'] ?? '')],
        ['issuedAt', t('adm.issue.issuedAt'), fmtLocal(issuedAt, getLang())],
        ['expiresAt', t('adm.issue.expiresAt'), fmtLocal(expiresAt, getLang())],
        ['expiresIn', t('adm.issue.expiresIn'), fmtDuration(given)],
      ]
      if (typeof res['refreshAt'] === 'number') rows.push(['refreshAt', t('adm.issue.refreshAt'), fmtLocal(res['refreshAt'], getLang())])
      const note = asked === undefined ? t('adm.issue.defaulted', { given: fmtDuration(given) })
        : given < asked ? t('adm.issue.clampedDown', { asked: fmtDuration(asked), given: fmtDuration(given) })
        : given > asked ? t('adm.issue.clampedUp', { asked: fmtDuration(asked), given: fmtDuration(given) })
        : t('adm.issue.asAsked', { given: fmtDuration(given) })
      const changed = asked !== undefined && given !== asked
      replace(issueMeta,
        h('p', { id: 'adm-issue-expiresIn', class: changed ? 'notice' : 'help', role: changed ? 'status' : null, 'data-clamped': changed ? (given < asked! ? 'down' : 'up') : 'no' }, note),
        h('dl', { class: 'kv' }, rows.map(([k, label, v]) => [h('dt', null, label), h('dd', { 'data-field': k }, v)])))
      void refreshAudit()
      void refreshMetrics()
    } catch (e) {
      const shown = serviceError(e)
      if (e instanceof AdminApiError && /USERID/.test(e.code)) issueUser.setError(...shownText(e))
      else if (e instanceof AdminApiError && /EXPIRES/.test(e.code)) issueExp.setError(...shownText(e))
      else if (e instanceof AdminApiError && /SDKAPPID/.test(e.code)) appField.setError(...shownText(e))
      else replace(issueError, shown)
    }
  }


  /** Any change: the answer no longer describes the inputs. */
  function checkChanged(): void {
    checkGeneration += 1
    checkTokenField.setError()
    replace(checkResult)
  }

  async function checkInService(): Promise<void> {
    checkChanged()
    if (!client) return
    const token = state.token.trim()
    if (token === '') { checkTokenField.setError(t('err.required')); checkToken.focus(); return }
    const body: { token: string; userId?: string; sdkAppId?: number } = { token }
    if (checkUser.value !== '') body.userId = checkUser.value
    if (checkApp.value !== '') body.sdkAppId = Number(checkApp.value)
    const mine = checkGeneration
    try {
      const res = await client.explain(body)
      if (mine !== checkGeneration) return
      const r = fromExplain(res as unknown as Parameters<typeof fromExplain>[0])
      const app = apps.find((x) => x.sdkAppId === (body.sdkAppId ?? safeSdkAppId(token)))
      replace(checkResult,
        h('h4', null, t('dbg.h.result')),
        app ? h('p', { class: 'help' }, t('adm.check.checkedBy', { app: `${app.sdkAppId}${app.name ? ` ${app.name}` : ''}` })) : null,
        verdictBlock(r, 'adm-check'))
    } catch (e) {
      if (mine !== checkGeneration) return
      replace(checkResult, serviceError(e))
    }
  }

  async function refreshAudit(): Promise<void> {
    if (!client) return
    const c = client
    try {
      const events = await c.audit(AUDIT_LIMIT)
      if (c !== client) return
      renderAudit(events)
    } catch (e) {
      replace(auditBox, h('p', { class: 'form-error' }, serviceError(e)))
    }
  }

  function renderAudit(events: Record<string, unknown>[]): void {
    if (events.length === 0) {
      replace(auditBox, h('p', { class: 'muted', id: 'adm-audit-empty' }, t('adm.audit.none')))
      return
    }
    const preferred = ['time', 'at', 'ts', 'timestamp', 'kind', 'event', 'type', 'action', 'outcome', 'result', 'reason', 'code', 'sdkAppId', 'userId', 'subject', 'keyId', 'auth', 'app', 'expiresIn']
    const keys = new Set<string>()
    for (const ev of events) for (const k of Object.keys(ev)) keys.add(k)
    const cols = [...preferred.filter((k) => keys.has(k)), ...[...keys].filter((k) => !preferred.includes(k))].slice(0, 8)
    auditRegion.show(h('table', { id: 'adm-audit-table' },
      h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col', 'data-col': k }, auditHeader(k))))),
      h('tbody', null, events.map((ev) => h('tr', null, cols.map((k) => h('td', { 'data-col': k }, auditCell(k, ev[k]))))))))
    if (auditRegion.el.parentElement !== auditBox) replace(auditBox, auditRegion.el)
  }

  async function refreshMetrics(): Promise<void> {
    if (!client) return
    const c = client
    try {
      const text = await c.metrics()
      if (c !== client) return
      lastSamples = parseMetrics(text)
      history.add(snapshot(lastSamples, Date.now() / 1000))
      metricsUpdated.textContent = t('adm.metrics.updated', { time: fmtLocal(Math.floor(Date.now() / 1000), getLang()) })
      renderMetrics()
    } catch (e) {
      replace(metricsBox, h('p', { class: 'form-error' }, serviceError(e)))
    }
  }

  function renderCharts(): void {
    for (const c of charts) c.destroy()
    charts = []
    const xs = history.times()
    if (xs.length < 2) {
      replace(chartsBox, h('p', { class: 'muted', id: 'adm-charts-waiting' }, t('adm.chart.waiting')))
      return
    }
    const width = Math.min(chartsBox.clientWidth || 320, 460)
    const denied = history.deniedPerMinute()
    const made = [
      lineChart({ id: 'adm-chart-issued', title: t('adm.chart.issued'), xs, width, series: [{ label: t('adm.chart.total'), values: history.issuedPerMinute() }] }),
      lineChart({ id: 'adm-chart-denied', title: t('adm.chart.denied'), xs, width,
        series: denied.length ? denied.map((d) => ({ label: d.reason, values: d.values })) : [{ label: t('adm.chart.total'), values: xs.map(() => 0) }] }),
      lineChart({ id: 'adm-chart-ratelimited', title: t('adm.chart.rateLimited'), xs, width, series: [{ label: t('adm.chart.total'), values: history.rateLimitedPerMinute() }] }),
      lineChart({ id: 'adm-chart-latency', title: t('adm.chart.latency'), xs, width,
        series: [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]].map(([label, q]) => ({ label: label as string, values: history.latencyMs(q as number) })) }),
    ]
    charts = made
    replace(chartsBox, made.map((c) => c.el))
  }

  function renderMetrics(): void {
    renderCharts()
    const shown = interestingSamples(lastSamples, a.showRuntimeMetrics)
    if (shown.length === 0) {
      replace(metricsBox, h('p', { class: 'muted' }, t('adm.metrics.none')))
      return
    }
    metricsRegion.show(h('table', { id: 'adm-metrics-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('adm.metrics.name')), h('th', { scope: 'col' }, t('adm.metrics.labels')), h('th', { scope: 'col', class: 'num' }, t('adm.metrics.value')))),
      h('tbody', null, shown.map((s) => h('tr', { 'data-metric': s.name },
        h('td', { title: s.help }, h('code', null, s.name)),
        h('td', null, h('code', null, Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', '))),
        h('td', { class: 'num' }, formatNumber(s.value)))))))
    if (metricsRegion.el.parentElement !== metricsBox) replace(metricsBox, metricsRegion.el)
  }

  const heading = h('h2', { tabindex: -1, id: 'view-heading' }, t('nav.admin'))
  const el = h('div', { class: 'view', id: 'view-admin' },
    heading,
    h('p', { class: 'lead' }, t('adm.intro')),
    h('section', { class: 'card', 'aria-labelledby': 'adm-h-conn' }, h('h3', { id: 'adm-h-conn' }, t('adm.h.connect')), connForm),
    connected)

  // Reconnect automatically when the key was remembered for this tab (or is still in memory from an earlier visit).
  if (a.apiKey !== '' && /^https?:\/\//i.test(a.baseUrl.trim())) void connect()

  return {
    el,
    heading,
    dispose() {
      disposed = true
      disconnect()
      for (const c of charts) c.destroy()
    },
  }
}

/** A time column (`time`, `expiresAt`…): unix seconds or milliseconds, or an ISO 8601 string. */
const TIME_KEY = /(^|[a-z])(at|time|ts|timestamp)$/i
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

function showValue(key: string, v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'number' && TIME_KEY.test(key) && v > 1e9) {
    return fmtLocal(v > 1e11 ? Math.floor(v / 1000) : v, getLang())
  }
  if (typeof v === 'string' && TIME_KEY.test(key) && v.length <= 40 && ISO_TIME.test(v)) {
    const ms = Date.parse(v)
    if (Number.isFinite(ms)) return fmtLocal(Math.floor(ms / 1000), getLang())
  }
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** A service error in the page's language: a translation of its code where the table has one, the service's own (English) words as detail. */
function serviceError(e: unknown): Node[] {
  const [message, hint, detail] = shownText(e)
  return errorContent(message, hint, detail)
}

function shownText(e: unknown): [string, string | undefined, string | undefined] {
  if (!(e instanceof AdminApiError)) return [t('adm.err.network'), undefined, e instanceof Error ? e.message : String(e)]
  if (e.status === 0) return [t('adm.err.network'), undefined, e.message]
  if (e.status === 403) return [t('adm.err.scope'), undefined, `${e.code}: ${e.message}`]
  const translated = tMaybe(`err.${e.code}`)
  return [translated ?? t('adm.err.service', { status: e.status, code: e.code }), undefined, `${e.code}: ${e.message}`]
}

/**
 * An audit value: a time in the page's format, a request kind or an outcome in the page's language where the table
 * has it (the zh-CN table does; English shows the service's own word), anything else as the code it is.
 */
function auditCell(key: string, v: unknown): Node | string {
  const shown = showValue(key, v)
  if (shown === '' || shown !== String(v)) return shown
  if (key === 'kind' || key === 'outcome') return tMaybe(`adm.audit.${key}.${shown}`) ?? shown
  return h('code', null, shown)
}

function auditHeader(key: string): Node | string {
  return tMaybe(`adm.audit.col.${key}`) ?? h('code', null, key)
}

function safeSdkAppId(token: string): number | undefined {
  try {
    return decodeUserSig(token).sdkAppId
  } catch {
    return undefined
  }
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  return Number.isInteger(n) ? String(n) : n.toFixed(3)
}
