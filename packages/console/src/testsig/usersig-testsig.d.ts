// Types for dist/testsig/usersig-testsig.mjs (ESM) and usersig-testsig.js (classic script: window.UserSigTestSig).
export interface TestSigConfig {
  /** The application ID, e.g. 1400000000. */
  SDKAppID: number | string
  /** The application's secret key (SDKSecretKey). Kept in memory only. */
  SecretKey: string
  /** Seconds or "90s" / "30m" / "12h" / "7d". Default 1 hour, at most 7 days. */
  expiresIn?: number | string
  /** Sign even on an origin that is not localhost / 127.0.0.1 / [::1] / file:. Logs a loud warning. */
  allowInsecureOrigin?: boolean
}
export interface TestSigOptions extends TestSigConfig {
  userID: string
}
export interface TestSigResult {
  sdkAppId: number
  SDKAppID: number
  userSig: string
}
export type TestSigErrorCode = 'NOT_CONFIGURED' | 'INVALID_ARGUMENT' | 'INSECURE_ORIGIN' | 'EXPIRES_IN_TOO_LONG'
export declare class TestSigError extends Error {
  readonly code: TestSigErrorCode
}
export declare const DEFAULT_EXPIRES_IN: 3600
export declare const MAX_EXPIRES_IN: 604800
export declare function configure(options: TestSigConfig): void
export declare function forgetTestUserSigConfig(): void
export declare function genTestUserSig(userIDOrOptions: string | TestSigOptions): TestSigResult
