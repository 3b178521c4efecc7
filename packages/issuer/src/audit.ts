/**
 * The audit event: one per decision (issued, denied, error). It holds identifiers, times and the key fingerprint;
 * its type has no field that could hold a secret, a UserSig or a credential.
 */

/** What an audit event is about: a UserSig issued on `/v1/usersig`, or a PrivateMapKey on `/v1/private-map-key`. */
export type AuditKind = 'usersig' | 'privateMapKey'
/**
 * How an issuing decision ended: `issued` (a token was returned), `denied` (the caller was refused: 4xx, `reason`
 * says why), `error` (the service failed: an outage or a bug, 5xx).
 */
export type AuditOutcome = 'issued' | 'denied' | 'error'

/**
 * The fields of an audit line. An adapter that records more kinds of decision (the Node service's admin routes,
 * verify, outages) widens `K` and `O`; the fields stay these.
 */
export interface AuditEvent<K extends string = AuditKind, O extends string = AuditOutcome> {
  /** When the decision was made: an ISO 8601 timestamp in UTC. */
  time: string
  /** The request's id, also sent to the caller in the `x-request-id` header. */
  requestId: string
  /** What was asked for (`usersig` or `privateMapKey` on the issuing routes). */
  kind: K
  /** How it ended. */
  outcome: O
  /** Error code for denials and errors. */
  reason?: string
  /** The app, once the request named a known one. */
  sdkAppId?: number
  /** The app's name from the config. */
  app?: string
  /** The caller's UserID, once authenticated. */
  userId?: string
  /** How the caller was authenticated: jwt, or the name the deployer's function (or the service's authenticator) gives. */
  auth?: string
  /** The caller's roles, once authenticated. */
  roles?: string[]
  /** The client's address as the adapter saw it. */
  clientIp?: string
  /** The numeric room of a PrivateMapKey request. */
  roomId?: number
  /** The string room of a PrivateMapKey request. */
  strRoomId?: string
  /** The privilege bits of an issued PrivateMapKey. */
  privileges?: number
  /** When the issued token stops being valid (unix seconds). */
  expiresAt?: number
  /** The issued token's lifetime in seconds. */
  expiresIn?: number
  /** Fingerprint of the signing key (first 8 hex chars of SHA-256), never the key. */
  keyId?: string
  /** What granted a PrivateMapKey (`PmkGrant.decidedBy`): `rules 0,2` (matching rules), `webhook`, or your policy's. */
  decidedBy?: string
}

/**
 * Receives every audit event, once per decision (`audit` in the pipeline's and the edge handler's options). It is
 * called synchronously on the request's path: hand the event to a buffer or a logger, do not wait on the network.
 * `consoleAudit` is the default.
 */
export type AuditSink = (event: AuditEvent) => void

/** One JSON line per event on the console: what every serverless and edge platform collects as the log. */
export const consoleAudit: AuditSink = (event) => {
  console.log(JSON.stringify({ audit: event }))
}
