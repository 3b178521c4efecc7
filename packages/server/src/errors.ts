/**
 * The service's errors are the issuing pipeline's (@usersig/issuer): one table of codes and statuses, one HttpError,
 * one envelope `{ error: { code, message } }`; docs/service.md has the table with resolutions.
 */
export { ERROR_STATUS, HttpError, errorBody, type ErrorCode, type ErrorBody, type HttpErrorOptions } from '@usersig/issuer'
