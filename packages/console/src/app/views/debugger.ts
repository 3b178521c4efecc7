/**
 * Debugger: paste a UserSig or PrivateMapKey, see what is inside, verify it with a key and get the explanation.
 * Everything runs in this page with the core library: this view never calls fetch or XHR, and the key stays in memory.
 */
import { CODES, decodeUserSig, explainUserSig, repairUserSigInput, legacyPublicKey, normalizeSdkAppId, PRIVILEGES, verifyUserSig, UserSigError, type DecodedUserSig, type ExplainResult, type VerifyResult } from '../core.js'
import { copyText, errorContent, field, radioGroup, secretInput, textArea, textInput, type Field } from '../components.js'
import { h, replace } from '../dom.js'
import { describeError, fieldForCode } from '../errors.js'
import { fmtCountdown, fmtDuration, fmtLocal, fmtUtc, nowSeconds } from '../format.js'
import { t, tMaybe, getLang } from '../i18n.js'
import { redactedReport } from '../report.js'
import { findingsList, fromExplain, verdictBlock, type CheckResult } from '../findings.js'
import type { View, ViewCtx } from '../view.js'

/** How long typing must pause before the inputs are verified (live, as jwt.io does). */
export const LIVE_VERIFY_MS = 250

type Explained = ExplainResult
type Verified = VerifyResult


export function debuggerView(ctx: ViewCtx): View {
  const { state } = ctx
  const c = state.creds
  let decoded: DecodedUserSig | null = null
  let decodeError: UserSigError | Error | null = null
  let check: CheckResult | null = null
  let keyless: CheckResult | null = null
  let timer: ReturnType<typeof setInterval> | undefined
  let liveTimer: ReturnType<typeof setTimeout> | undefined
  /** Bumped on every input change, so an answer that arrives late (the clipboard) can tell it is stale. */
  let generation = 0

  // ---- token input and decoded panel ----
  const tokenArea = textArea({ value: state.token, rows: 5, placeholder: t('dbg.token.placeholder'), onInput: (v) => { state.token = v; onTokenChange() } })
  const tokenField = field({ id: 'dbg-token', label: t('dbg.token.label'), control: tokenArea, help: t('dbg.token.help') })
  const decodedBox = h('div', { id: 'dbg-decoded', class: 'decoded' })
  const countdownEls: { el: HTMLElement; at: number }[] = []

  // ---- verify form ----
  const sdk = field({ id: 'dbg-sdkappid', label: t('field.sdkAppId'), help: t('field.sdkAppId.help'),
    control: textInput({ value: c.sdkAppId, inputmode: 'numeric', placeholder: '1400000000', onInput: (v) => { c.sdkAppId = v; sdk.setError(); inputsChanged() } }) })
  const uid = field({ id: 'dbg-userid', label: t('field.userId'), help: t('dbg.userId.help'),
    control: textInput({ value: c.userId, onInput: (v) => { c.userId = v; uid.setError(); inputsChanged() } }) })
  const secret = secretInput({ id: 'dbg-secret', value: c.secretKey, showLabel: t('btn.show'), hideLabel: t('btn.hide'), onInput: (v) => { c.secretKey = v; secretField.setError(); inputsChanged() } })
  const secretField = field({ id: 'dbg-secret', label: t('field.secretKey'), help: t('field.secretKey.help'), control: secret.input, inline: secret.toggle })
  const pemField = field({ id: 'dbg-publickey', label: t('field.publicKey'), help: t('field.publicKey.help'),
    control: textArea({ value: c.publicKey, rows: 4, placeholder: '-----BEGIN PUBLIC KEY-----', onInput: (v) => { c.publicKey = v; pemField.setError(); inputsChanged() } }) })
  const keyBox = h('div', { id: 'dbg-keybox' })
  const showKeyField = (): void => replace(keyBox, c.keyKind === 'secret' ? secretField.el : pemField.el)
  showKeyField()
  const keyKind = radioGroup({
    name: 'dbg-keykind', legend: t('dbg.keyKind'), value: c.keyKind,
    options: [
      { value: 'secret', label: t('dbg.keyKind.secret'), id: 'dbg-keykind-secret' },
      { value: 'public', label: t('dbg.keyKind.public'), id: 'dbg-keykind-public' },
    ],
    onChange: (v) => { c.keyKind = v; showKeyField(); inputsChanged() },
  })

  const er = state.expectRoom
  const roomIdField = field({ id: 'dbg-roomid', label: t('field.roomId'), control: textInput({ value: er.roomId, inputmode: 'numeric', onInput: (v) => { er.roomId = v; roomIdField.setError(); inputsChanged() } }) })
  const strRoomField = field({ id: 'dbg-strroomid', label: t('field.strRoomId'), control: textInput({ value: er.strRoomId, onInput: (v) => { er.strRoomId = v; strRoomField.setError(); inputsChanged() } }) })
  const roomBox = h('div')
  const showRoom = (): void => replace(roomBox, er.kind === 'num' ? roomIdField.el : strRoomField.el)
  showRoom()
  const roomDetails = h('details', { class: 'sub', open: er.roomId !== '' || er.strRoomId !== '' },
    h('summary', null, t('dbg.room.summary')),
    h('p', { class: 'help' }, t('dbg.room.help')),
    radioGroup({ name: 'dbg-roomkind', legend: t('field.roomKind'), value: er.kind,
      options: [
        { value: 'num', label: t('field.roomKind.num'), id: 'dbg-roomkind-num' },
        { value: 'str', label: t('field.roomKind.str'), id: 'dbg-roomkind-str' },
      ],
      onChange: (v) => { er.kind = v; showRoom(); inputsChanged() } }),
    roomBox)

  // "Use what the token says": its own SDKAppID and UserID into the inputs, in one click.
  const useTokenBtn = h('button', { type: 'button', id: 'dbg-use-token', class: 'secondary small', disabled: true }, t('dbg.useToken'))
  useTokenBtn.addEventListener('click', () => {
    if (!decoded) return
    c.sdkAppId = String(decoded.sdkAppId)
    c.userId = decoded.userId
    sdk.control.value = c.sdkAppId
    uid.control.value = c.userId
    sdk.setError()
    uid.setError()
    inputsChanged()
  })
  // Check against an app configured in the service: the Admin tab does it with the operator key (this view never
  // reaches the network); the token goes along in memory.
  const serviceBtn = h('button', { type: 'button', id: 'dbg-check-service', class: 'secondary small' }, t('dbg.checkService'))
  serviceBtn.addEventListener('click', () => ctx.navigate('admin'))
  const formError = h('div', { class: 'form-error', id: 'dbg-form-error', 'aria-live': 'polite' })
  const verifyBtn = h('button', { type: 'submit', id: 'dbg-verify', class: 'primary' }, t('dbg.verify'))
  const form = h('form', { id: 'dbg-verify-form', novalidate: true },
    h('div', { class: 'actions' }, useTokenBtn, serviceBtn),
    sdk.el, uid.el, keyKind, keyBox, roomDetails, formError, h('div', { class: 'actions' }, verifyBtn))
  form.addEventListener('submit', (ev) => { ev.preventDefault(); clearLive(); runVerify(true) })

  const resultBox = h('section', { id: 'dbg-result', class: 'result', 'aria-live': 'polite', 'aria-labelledby': 'dbg-result-h' })

  // ---- redacted report ----
  const reportArea = h('textarea', { id: 'dbg-report', rows: 10, readOnly: true, spellcheck: 'false', 'aria-label': t('dbg.report.label') })
  const reportStatus = h('span', { class: 'status', id: 'dbg-report-status', 'aria-live': 'polite' })
  const reportBtn = h('button', { type: 'button', id: 'dbg-copy-report', class: 'secondary' }, t('dbg.report.copy'))
  reportBtn.addEventListener('click', () => {
    const text = buildReport()
    reportArea.value = text
    reportDetails.open = true
    const shownFor = generation
    void copyText(text, reportArea).then((ok) => {
      // Inputs changed while the clipboard was busy: the copied report is already stale, so say nothing.
      if (shownFor === generation) reportStatus.textContent = ok ? t('status.copied') : t('status.copyFailed')
    })
  })
  const reportDetails = h('details', { class: 'sub', id: 'dbg-report-details' }, h('summary', null, t('dbg.report.preview')), reportArea)

  const heading = h('h2', { tabindex: -1, id: 'view-heading' }, t('nav.debugger'))
  const el = h('div', { class: 'view', id: 'view-debugger' },
    heading,
    h('p', { class: 'lead' }, t('dbg.intro')),
    h('section', { class: 'card', 'aria-labelledby': 'dbg-h-token' },
      h('h3', { id: 'dbg-h-token' }, t('dbg.h.token')), tokenField.el, decodedBox),
    h('section', { class: 'card', 'aria-labelledby': 'dbg-h-verify' },
      h('h3', { id: 'dbg-h-verify' }, t('dbg.h.verify')), h('p', { class: 'help' }, t('dbg.verify.help')), form, resultBox),
    h('section', { class: 'card', 'aria-labelledby': 'dbg-h-report' },
      h('h3', { id: 'dbg-h-report' }, t('dbg.h.report')), h('p', { class: 'help' }, t('dbg.report.help')),
      h('div', { class: 'actions' }, reportBtn, reportStatus), reportDetails),
  )

  function onTokenChange(): void {
    tokenField.setError()
    decodeNow()
    inputsChanged()
  }

  /**
   * Any input change: the verdict and the report describe inputs that no longer exist, so both go at once, and a
   * check of the new inputs runs after a short pause in typing (as jwt.io does).
   */
  function inputsChanged(): void {
    generation += 1
    check = null
    reportArea.value = ''
    reportStatus.textContent = ''
    reportDetails.open = false
    renderResult()
    clearLive()
    liveTimer = setTimeout(() => { liveTimer = undefined; runVerify(false) }, LIVE_VERIFY_MS)
  }

  function clearLive(): void {
    if (liveTimer !== undefined) clearTimeout(liveTimer)
    liveTimer = undefined
  }

  function decodeNow(): void {
    decoded = null
    decodeError = null
    keyless = null
    const token = repairUserSigInput(state.token).token.trim()
    if (token !== '') {
      try {
        decoded = decodeUserSig(token)
      } catch (e) {
        decodeError = e instanceof Error ? e : new Error(String(e))
      }
      try {
        keyless = fromExplain(explainUserSig(state.token, { repair: true }))
      } catch {
        keyless = null
      }
    }
    renderDecoded()
  }

  function renderDecoded(): void {
    countdownEls.length = 0
    useTokenBtn.disabled = decoded === null
    if (state.token.trim() === '') {
      replace(decodedBox, h('p', { class: 'muted' }, t('dbg.empty')))
      return
    }
    if (!decoded) {
      const shown = describeError(decodeError)
      tokenField.setError(shown.message, shown.hint, shown.detail)
      replace(decodedBox, keyless ? findingsList(keyless.findings, 'dbg-keyless-findings') : null)
      return
    }
    const d = decoded
    const pmk = d.privateMapKey
    const kind = pmk ? t('dbg.kind.pmk') : d.userBuf ? t('dbg.kind.userbuf') : t('dbg.kind.usersig')
    const countdown = h('span', { class: 'countdown', role: 'timer', 'data-field': 'countdown' })
    countdownEls.push({ el: countdown, at: d.expiresAt })
    const rows: [string, string, ...(Node | string)[]][] = [
      ['kind', t('dbg.f.kind'), kind],
      ['version', t('dbg.f.version'), d.version === 'v2' ? t('dbg.version.v2') : t('dbg.version.v1')],
      ['userId', t('dbg.f.userId'), d.userId],
      ['sdkAppId', t('dbg.f.sdkAppId'), String(d.sdkAppId)],
      ['issuedAt', t('dbg.f.issuedAt'), timeBlock(d.issuedAt)],
      ['expiresIn', t('dbg.f.expiresIn'), t('dbg.expiresIn.value', { s: d.expiresIn, d: fmtDuration(d.expiresIn) })],
      ['expiresAt', t('dbg.f.expiresAt'), timeBlock(d.expiresAt)],
      ['status', t('dbg.f.status'), countdown],
      ['signature', t('dbg.f.signature'), h('code', { class: 'break' }, d.signature)],
    ]
    const dl = h('dl', { class: 'kv', id: 'dbg-fields' }, rows.map(([key, label, ...value]) => [h('dt', null, label), h('dd', { 'data-field': key }, ...value)]))
    replace(decodedBox,
      h('h4', null, t('dbg.h.decoded')),
      h('p', { class: 'help', id: 'dbg-decoded-note' }, t('dbg.decoded.note')),
      dl,
      pmk ? pmkBlock(pmk) : null,
      d.warnings.length ? h('div', { class: 'warnings' }, h('h4', null, t('dbg.h.warnings')),
        h('ul', { id: 'dbg-warnings' }, d.warnings.map((w) => h('li', { 'data-code': w.code }, h('code', null, w.code), ' ', tMaybe(`warn.${w.code}`) ?? w.message)))) : null,
      keyless && keyless.findings.length ? [h('h4', null, t('dbg.h.keylessFindings')), findingsList(keyless.findings, 'dbg-keyless-findings')] : null,
      h('details', { class: 'sub' }, h('summary', null, t('dbg.rawJson')), h('pre', { id: 'dbg-raw' }, JSON.stringify(d.fields, null, 2))),
    )
    tick()
  }

  function pmkBlock(p: NonNullable<DecodedUserSig['privateMapKey']>): HTMLElement {
    const countdown = h('span', { class: 'countdown', role: 'timer', 'data-field': 'pmk-countdown' })
    countdownEls.push({ el: countdown, at: p.expiresAt })
    const rows: [string, string, ...(Node | string)[]][] = [
      ['pmk-version', t('dbg.pmk.version'), String(p.version)],
      ['pmk-userId', t('dbg.pmk.userId'), p.userId],
      ['pmk-sdkAppId', t('dbg.pmk.sdkAppId'), String(p.sdkAppId)],
      p.strRoomId !== null ? ['pmk-strRoomId', t('field.strRoomId'), p.strRoomId] : ['pmk-roomId', t('field.roomId'), String(p.roomId)],
      ['pmk-expiresAt', t('dbg.pmk.expiresAt'), timeBlock(p.expiresAt), countdown],
      ['pmk-accountType', t('dbg.pmk.accountType'), String(p.accountType)],
      ['pmk-privileges', t('dbg.pmk.privileges'), `${p.privileges} (0x${p.privileges.toString(16).padStart(2, '0')})`],
    ]
    return h('div', { class: 'pmk', id: 'dbg-pmk' },
      h('h4', null, t('dbg.h.pmk')),
      h('dl', { class: 'kv' }, rows.map(([key, label, ...value]) => [h('dt', null, label), h('dd', { 'data-field': key }, ...value)])),
      privilegeBoxes(p.privileges, 'dbg-priv', true),
    )
  }

  function tick(): void {
    const now = nowSeconds()
    for (const item of countdownEls) {
      const { text, expired } = fmtCountdown(item.at, now)
      item.el.textContent = text
      item.el.classList.toggle('expired', expired)
    }
  }

  // ---- verify ----
  /**
   * Verifies the current inputs. `explicit` (the Verify button): empty inputs are marked "Required" and focus moves
   * to the first field at fault. Live (while typing): an empty input just leaves the result "not verified yet".
   */
  function runVerify(explicit: boolean): void {
    for (const f of [sdk, uid, secretField, pemField, roomIdField, strRoomField]) f.setError()
    if (explicit && state.token.trim() === '') tokenField.setError()
    replace(formError)
    check = null
    const token = repairUserSigInput(state.token).token.trim()
    let ok = true
    const missing: string[] = []
    const required = (f: Field, label: string): void => {
      ok = false
      missing.push(label)
      if (explicit) f.setError(t('err.required'))
    }
    if (token === '') required(tokenField, t('dbg.token.label'))
    let sdkAppId = 0
    if (c.sdkAppId.trim() === '') required(sdk, t('field.sdkAppId'))
    else {
      try {
        sdkAppId = normalizeSdkAppId(c.sdkAppId)
      } catch (e) {
        showFieldError('sdkAppId', e)
        ok = false
      }
    }
    if (c.userId === '') required(uid, t('field.userId'))
    const key = c.keyKind === 'secret' ? c.secretKey : c.publicKey
    if (key === '') required(c.keyKind === 'secret' ? secretField : pemField, c.keyKind === 'secret' ? t('field.secretKey') : t('field.publicKey'))
    const room: { roomId?: number; strRoomId?: string } = {}
    if (er.kind === 'num' && er.roomId.trim() !== '') {
      const n = Number(er.roomId.trim())
      if (!Number.isInteger(n) || n < 1 || n > 4294967294) { roomIdField.setError(t('err.roomId')); ok = false } else room.roomId = n
    } else if (er.kind === 'str' && er.strRoomId !== '') room.strRoomId = er.strRoomId
    if (!ok) {
      renderResult(missing)
      if (explicit) focusFirstInvalid()
      return
    }
    // Not blocking: the check below runs with the key as typed, and these say why it probably fails.
    if (c.keyKind === 'secret' && key !== key.trim()) secretField.setError(t('dbg.key.whitespace'))
    else if (c.keyKind === 'secret' && key.includes('-----BEGIN')) secretField.setError(t('dbg.key.pem'))
    try {
      const keyOpts = c.keyKind === 'secret' ? { secretKey: key } : { publicKey: legacyPublicKey(key) }
      const verified = verifyUserSig(token, { sdkAppId, userId: c.userId, ...keyOpts })
      let explained: Explained | null = null
      try {
        explained = explainUserSig(state.token, { sdkAppId, userId: c.userId, ...keyOpts, ...room, repair: true })
      } catch (e) {
        if (!(e instanceof UserSigError)) throw e
        const target = fieldForCode(e.code)
        if (target === 'roomId' || target === 'strRoomId') showFieldError(target, e)
      }
      check = merge(verified, explained)
      check.expected = { sdkAppId, userId: c.userId }
      if (verified.ok) check.keyId = verified.keyId
    } catch (e) {
      check = null
      const code = e instanceof UserSigError ? e.code : undefined
      const target = fieldForCode(code)
      if (target) showFieldError(target, e)
      else {
        const shown = describeError(e)
        replace(formError, errorContent(shown.message, shown.hint, shown.detail))
      }
      if (explicit) focusFirstInvalid()
    }
    renderResult()
  }

  function showFieldError(target: NonNullable<ReturnType<typeof fieldForCode>>, e: unknown): void {
    const shown = describeError(e)
    const map: Partial<Record<typeof target, Field>> = { sdkAppId: sdk, userId: uid, secretKey: secretField, publicKey: pemField, roomId: roomIdField, strRoomId: strRoomField, token: tokenField }
    const f = map[target]
    if (f) f.setError(shown.message, shown.hint, shown.detail)
    else replace(formError, shown.message)
  }

  function focusFirstInvalid(): void {
    const bad = el.querySelector<HTMLElement>('[aria-invalid="true"]')
    bad?.focus()
  }

  function merge(v: Verified, x: Explained | null): CheckResult {
    if (x) {
      const r = fromExplain(x)
      if (!v.ok) r.reason = v.reason
      return r
    }
    // explainUserSig unavailable or refused: show what verify says, with the severity and fix of the table of codes.
    const warnings = v.warnings.map((w) => ({ code: w.code, severity: CODES[w.code].severity, message: w.message, fix: CODES[w.code].fix }))
    if (v.ok) return { verdict: 'valid', findings: warnings }
    return {
      verdict: 'invalid', reason: v.reason, tencentCode: v.tencentCode, summary: v.message,
      findings: [...v.failures.map((f) => ({ code: f.reason, severity: CODES[f.reason].severity, message: f.message, tencentCode: f.tencentCode, fix: CODES[f.reason].fix })), ...warnings],
    }
  }

  /** The verdict of the last verification of the current inputs, or a neutral "not verified" line (with what is missing). */
  function renderResult(missing?: readonly string[]): void {
    refreshReport()
    if (!check) {
      resultBox.dataset['state'] = 'unverified'
      replace(resultBox,
        h('h4', { id: 'dbg-result-h' }, t('dbg.h.result')),
        h('p', { class: 'muted', id: 'dbg-unverified' }, missing && missing.length ? t('dbg.unverified.missing', { fields: missing.join(t('list.sep')) }) : t('dbg.unverified')))
      return
    }
    resultBox.dataset['state'] = 'verified'
    replace(resultBox,
      h('h4', { id: 'dbg-result-h' }, t('dbg.h.result')),
      verdictBlock(check, 'dbg'))
  }


  /** The shown report follows the inputs: rebuilt from the current result whenever it is open. */
  function refreshReport(): void {
    if (reportArea.value !== '') reportArea.value = buildReport()
  }

  function buildReport(): string {
    const token = repairUserSigInput(state.token).token.trim()
    const shownError = decodeError ? describeError(decodeError) : undefined
    // The verdict comes only from a verification of the current inputs; without one, the report says so.
    const report = redactedReport({
      decoded,
      decodeError: shownError ? { code: shownError.code, message: shownError.message } : undefined,
      expected: check?.expected,
      verdict: check ? { verdict: check.verdict, reason: check.reason, tencentCode: check.tencentCode, summary: check.summary, keyId: check.keyId } : undefined,
      findings: (check ?? keyless)?.findings,
      now: nowSeconds(),
      tokenLength: token.length,
    })
    // Belt and braces: whatever the core put in a message, the token, the signature and the keys never leave.
    let text = JSON.stringify(report, null, 2)
    for (const secretText of [token, decoded?.signature ?? '', c.secretKey, c.publicKey.trim()]) {
      if (secretText.length >= 8) text = text.split(secretText).join('[redacted]')
    }
    return text
  }

  decodeNow()
  runVerify(false)
  timer = setInterval(tick, 1000)
  return {
    el,
    heading,
    dispose() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      clearLive()
    },
  }
}

function timeBlock(unixSeconds: number): HTMLElement {
  return h('span', { class: 'times' },
    h('span', { class: 'utc' }, fmtUtc(unixSeconds)),
    h('span', { class: 'local' }, fmtLocal(unixSeconds, getLang())))
}

/** The eight privilege bits as named checkboxes; read-only in the decode view. */
export function privilegeBoxes(bits: number, idPrefix: string, readOnly: boolean, onChange?: (bits: number) => void): HTMLFieldSetElement {
  const entries = Object.entries(PRIVILEGES) as [string, number][]
  return h('fieldset', { class: 'privileges', id: `${idPrefix}-set` },
    h('legend', null, t('priv.legend'), ' ', h('span', { class: 'muted' }, `= ${bits}`)),
    h('div', { class: 'priv-grid' },
      entries.map(([name, bit]) => {
        const id = `${idPrefix}-${name}`
        const box = h('input', { type: 'checkbox', id, name, value: String(bit), checked: (bits & bit) !== 0, disabled: readOnly, 'data-bit': bit })
        if (onChange) box.addEventListener('change', () => onChange(box.checked ? bits | bit : bits & ~bit))
        return h('label', { class: 'inline', for: id }, box, ' ', tMaybe(`priv.${name}`) ?? name, ' ', h('span', { class: 'muted' }, `(${bit})`))
      })))
}
