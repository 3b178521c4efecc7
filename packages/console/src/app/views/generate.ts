/**
 * Generate: a UserSig or a PrivateMapKey, signed in this page with the core library (no network), then copy it or
 * open it in the debugger. The key stays in memory, shared with the debugger so the result can be verified at once.
 */
import { checkToolSecretKey, createSigner, keyFingerprint, PRIVILEGE_PRESETS, UserSigError } from '../core.js'
import { copyText, errorContent, field, radioGroup, secretInput, textArea, textInput, type Field } from '../components.js'
import { h, replace } from '../dom.js'
import { describeError, fieldForCode } from '../errors.js'
import { fmtDuration, fmtUtc } from '../format.js'
import { t, tMaybe } from '../i18n.js'
import { allowBox, unusualLifetime, unusualUserId } from '../unusual.js'
import type { View, ViewCtx } from '../view.js'
import { privilegeBoxes } from './debugger.js'

/** The presets offered as buttons, in this order (the core may define more). */
const PRESET_ORDER = ['anchor', 'coHost', 'audience', 'all'] as const

export function generateView(ctx: ViewCtx): View {
  const { state } = ctx
  const c = state.creds
  const g = state.gen

  const kind = radioGroup({
    name: 'gen-kind', legend: t('gen.kind'), value: g.kind,
    options: [
      { value: 'usersig', label: t('gen.kind.usersig'), id: 'gen-kind-usersig' },
      { value: 'pmk', label: t('gen.kind.pmk'), id: 'gen-kind-pmk' },
    ],
    onChange: (v) => { g.kind = v; showKind() },
  })

  const sdk = field({ id: 'gen-sdkappid', label: t('field.sdkAppId'), help: t('field.sdkAppId.help'),
    control: textInput({ value: c.sdkAppId, inputmode: 'numeric', placeholder: '1400000000', onInput: (v) => { c.sdkAppId = v; sdk.setError() } }) })
  // Issue 15 §3: a UserID with surrounding whitespace and a lifetime in milliseconds are refused unless their box is ticked.
  const uid = field({ id: 'gen-userid', label: t('field.userId'), help: t('gen.userId.help'),
    control: textInput({ value: c.userId, onInput: (v) => { c.userId = v; uid.setError() } }),
    extra: allowBox('gen-allow-unusual-userid', t('unusual.userId.allow'), g.allowUnusualUserId, (on) => { g.allowUnusualUserId = on; uid.setError() }) })
  const policySelect = h('select', null,
    (['im', 'strict', 'any'] as const).map((p) => h('option', { value: p, selected: g.userIdPolicy === p }, t(`gen.policy.${p}`))))
  policySelect.addEventListener('change', () => { g.userIdPolicy = policySelect.value as typeof g.userIdPolicy; uid.setError() })
  const policy = field({ id: 'gen-policy', label: t('gen.policy'), control: policySelect })
  const secret = secretInput({ id: 'gen-secret', value: c.secretKey, showLabel: t('btn.show'), hideLabel: t('btn.hide'), onInput: (v) => { c.secretKey = v; secretField.setError(); showFingerprint() } })
  const fingerprint = h('p', { class: 'help', id: 'gen-fingerprint', 'aria-live': 'polite' })
  // Issue 15 §3: a key that cannot be a console SDKSecretKey is refused unless this box says it is intended.
  const allowUnusualLabel = allowBox('gen-allow-unusual-key', t('gen.allowUnusualKey'), g.allowUnusualKey, (on) => { g.allowUnusualKey = on; secretField.setError() })
  const secretField = field({ id: 'gen-secret', label: t('field.secretKey'), help: t('gen.secretKey.help'), control: secret.input, inline: secret.toggle, extra: [fingerprint, allowUnusualLabel] })

  const exp = field({ id: 'gen-expires', label: t('field.expiresIn'), help: t('field.expiresIn.help'),
    control: textInput({ value: g.kind === 'pmk' ? g.pmkExpiresIn : g.expiresIn, placeholder: '7d', onInput: (v) => { if (g.kind === 'pmk') g.pmkExpiresIn = v; else g.expiresIn = v; exp.setError() } }),
    extra: allowBox('gen-allow-unusual-lifetime', t('unusual.lifetime.allow'), g.allowUnusualLifetime, (on) => { g.allowUnusualLifetime = on; exp.setError() }) })

  // ---- PrivateMapKey part ----
  const roomIdField = field({ id: 'gen-roomid', label: t('field.roomId'), help: t('field.roomId.help'),
    control: textInput({ value: g.roomId, inputmode: 'numeric', onInput: (v) => { g.roomId = v; roomIdField.setError() } }) })
  const strRoomField = field({ id: 'gen-strroomid', label: t('field.strRoomId'), help: t('field.strRoomId.help'),
    control: textInput({ value: g.strRoomId, onInput: (v) => { g.strRoomId = v; strRoomField.setError() } }) })
  const roomBox = h('div')
  const showRoom = (): void => replace(roomBox, g.roomKind === 'num' ? roomIdField.el : strRoomField.el)
  showRoom()
  const privBox = h('div', { id: 'gen-privileges' })
  const privError = h('div', { class: 'field-error', id: 'gen-privileges-error', 'aria-live': 'polite' })
  const renderPrivileges = (): void => {
    const focusedId = document.activeElement?.id
    replace(privBox, privilegeBoxes(g.privileges, 'gen-priv', false, (bits) => { g.privileges = bits; replace(privError); renderPrivileges() }))
    if (focusedId) document.getElementById(focusedId)?.focus()
  }
  renderPrivileges()
  const presets = h('div', { class: 'presets', role: 'group', 'aria-label': t('gen.presets') },
    h('span', { class: 'label' }, t('gen.presets')),
    PRESET_ORDER.filter((name) => name in PRIVILEGE_PRESETS).map((name) => {
      const bits = (PRIVILEGE_PRESETS as Record<string, number>)[name]!
      const b = h('button', { type: 'button', class: 'secondary small', id: `gen-preset-${name}`, 'data-bits': bits }, `${tMaybe(`preset.${name}`) ?? name} (${bits})`)
      b.addEventListener('click', () => { g.privileges = bits; replace(privError); renderPrivileges() })
      return b
    }))
  const pmkPart = h('fieldset', { class: 'group', id: 'gen-pmk' },
    h('legend', null, t('gen.pmk.legend')),
    radioGroup({ name: 'gen-roomkind', legend: t('field.roomKind'), value: g.roomKind,
      options: [
        { value: 'num', label: t('field.roomKind.num'), id: 'gen-roomkind-num' },
        { value: 'str', label: t('field.roomKind.str'), id: 'gen-roomkind-str' },
      ],
      onChange: (v) => { g.roomKind = v; showRoom() } }),
    roomBox, presets, privBox, privError)
  const pmkSlot = h('div')

  function showKind(): void {
    replace(pmkSlot, g.kind === 'pmk' ? pmkPart : null)
    const input = exp.control as HTMLInputElement
    input.value = g.kind === 'pmk' ? g.pmkExpiresIn : g.expiresIn
    input.placeholder = g.kind === 'pmk' ? '300' : '7d'
    exp.setError()
  }
  showKind()

  const formError = h('div', { class: 'form-error', id: 'gen-form-error', 'aria-live': 'polite' })
  const form = h('form', { id: 'gen-form', novalidate: true },
    kind, sdk.el, uid.el, policy.el, secretField.el, exp.el, pmkSlot, formError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'gen-submit' }, t('gen.submit'))))
  form.addEventListener('submit', (ev) => { ev.preventDefault(); generate() })

  // ---- output ----
  const output = textArea({ value: g.output, rows: 4, readOnly: true, onInput: () => {} })
  const outField = field({ id: 'gen-output', label: t('gen.output'), control: output })
  const outMeta = h('div', { id: 'gen-meta', class: 'meta' })
  const copyStatus = h('span', { class: 'status', id: 'gen-copy-status', 'aria-live': 'polite' })
  const copyBtn = h('button', { type: 'button', class: 'secondary', id: 'gen-copy', disabled: g.output === '' }, t('btn.copy'))
  copyBtn.addEventListener('click', () => {
    void copyText(g.output, output).then((ok) => { copyStatus.textContent = ok ? t('status.copied') : t('status.copyFailed') })
  })
  const openBtn = h('button', { type: 'button', class: 'secondary', id: 'gen-open', disabled: g.output === '' }, t('gen.openInDebugger'))
  openBtn.addEventListener('click', () => { state.token = g.output; ctx.navigate('debugger') })
  const outSection = h('section', { class: 'card', 'aria-labelledby': 'gen-h-out' },
    h('h3', { id: 'gen-h-out' }, t('gen.h.output')), outField.el, outMeta, h('div', { class: 'actions' }, copyBtn, openBtn, copyStatus))

  function showFingerprint(): void {
    let fp = ''
    if (c.secretKey !== '') {
      try { fp = keyFingerprint(c.secretKey) } catch { fp = '' }
    }
    fingerprint.textContent = fp ? t('gen.fingerprint', { fp }) : ''
  }
  showFingerprint()

  const fields: Partial<Record<NonNullable<ReturnType<typeof fieldForCode>>, Field>> = {
    sdkAppId: sdk, userId: uid, secretKey: secretField, expiresIn: exp, roomId: roomIdField, strRoomId: strRoomField,
  }

  function generate(): void {
    for (const f of Object.values(fields)) f.setError()
    replace(formError)
    replace(privError)
    copyStatus.textContent = ''
    let missing = false
    if (c.sdkAppId.trim() === '') { sdk.setError(t('err.required')); missing = true }
    if (c.userId === '') { uid.setError(t('err.required')); missing = true }
    if (c.secretKey === '') { secretField.setError(t('err.required')); missing = true }
    if (g.kind === 'pmk' && g.roomKind === 'num' && g.roomId.trim() === '') { roomIdField.setError(t('err.required')); missing = true }
    if (g.kind === 'pmk' && g.roomKind === 'str' && g.strRoomId === '') { strRoomField.setError(t('err.required')); missing = true }
    if (g.kind === 'pmk' && g.roomKind === 'num' && g.roomId.trim() !== '' && !/^\d+$/.test(g.roomId.trim())) { roomIdField.setError(t('err.roomId')); missing = true }
    if (missing) { focusFirstInvalid(); return }
    const expiresIn = parseExpiryInput(g.kind === 'pmk' ? g.pmkExpiresIn : g.expiresIn)
    const userIdRefused = unusualUserId(c.userId, g.allowUnusualUserId)
    const lifetimeRefused = unusualLifetime(expiresIn, g.allowUnusualLifetime)
    if (userIdRefused) uid.setError(...userIdRefused)
    if (lifetimeRefused) exp.setError(...lifetimeRefused)
    if (userIdRefused || lifetimeRefused) { focusFirstInvalid(); return }
    try {
      checkToolSecretKey(c.secretKey, { allowUnusualKey: g.allowUnusualKey })
      const signer = createSigner({ sdkAppId: c.sdkAppId, secretKey: c.secretKey, userIdPolicy: g.userIdPolicy })
      const lifetime = { allowUnusualLifetime: g.allowUnusualLifetime, ...(expiresIn === undefined ? {} : { expiresIn }) }
      // The token under its own name: a UserSig's `userSig`, a PrivateMapKey's `privateMapKey`.
      let token: string
      let meta: { issuedAt: number; expiresAt: number; expiresIn: number; privileges?: number; privilegeNames?: string[] }
      if (g.kind === 'usersig') {
        const issued = signer.issueUserSig(c.userId, lifetime)
        token = issued.userSig
        meta = issued
      } else {
        const room = g.roomKind === 'num' ? { roomId: parseRoomId(g.roomId) } : { strRoomId: g.strRoomId }
        const issued = signer.issuePrivateMapKey(c.userId, { ...room, privileges: g.privileges, ...lifetime })
        token = issued.privateMapKey
        meta = issued
      }
      g.output = token
      output.value = token
      copyBtn.disabled = false
      openBtn.disabled = false
      replace(outMeta, h('dl', { class: 'kv' },
        h('dt', null, t('dbg.f.issuedAt')), h('dd', { 'data-field': 'issuedAt' }, fmtUtc(meta.issuedAt)),
        h('dt', null, t('dbg.f.expiresAt')), h('dd', { 'data-field': 'expiresAt' }, t('gen.expiresAt.value', { at: fmtUtc(meta.expiresAt), d: fmtDuration(meta.expiresIn) })),
        meta.privileges !== undefined ? [h('dt', null, t('dbg.pmk.privileges')), h('dd', { 'data-field': 'privileges' }, `${meta.privileges} ${(meta.privilegeNames ?? []).map((n) => tMaybe(`priv.${n}`) ?? n).join(t('list.sep'))}`)] : null,
      ))
      output.focus()
      output.select()
    } catch (e) {
      const code = e instanceof UserSigError ? e.code : undefined
      const target = fieldForCode(code)
      const shown = describeError(e)
      if (target === 'privileges') {
        replace(privError, errorContent(shown.message, shown.hint, shown.detail))
      } else if (target && fields[target]) {
        fields[target]!.setError(shown.message, shown.hint, shown.detail)
      } else {
        replace(formError, errorContent(shown.message, shown.hint, shown.detail))
      }
      focusFirstInvalid()
    }
  }

  function focusFirstInvalid(): void {
    el.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }

  const heading = h('h2', { tabindex: -1, id: 'view-heading' }, t('nav.generate'))
  const el = h('div', { class: 'view', id: 'view-generate' },
    heading,
    h('p', { class: 'lead' }, t('gen.intro')),
    h('section', { class: 'card', 'aria-labelledby': 'gen-h-form' }, h('h3', { id: 'gen-h-form' }, t('gen.h.form')), form),
    outSection)
  if (g.output !== '') output.value = g.output
  return { el, heading, dispose() {} }
}

/** Empty means "the core's default"; any other text ("300", "12h") goes to the core's one duration grammar. */
function parseExpiryInput(v: string): string | undefined {
  const s = v.trim()
  return s === '' ? undefined : s
}

/** Digits only (checked before); the core checks the range and shows its INVALID_ROOM_ID hint next to the field. */
function parseRoomId(v: string): number {
  return Number(v.trim())
}
