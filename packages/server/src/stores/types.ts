/** The rate-limit store interface is the issuing pipeline's: the service never talks to a driver directly. */
export { slidingDecision, type Algorithm, type HitResult, type RateLimitStore, type StoreHealth } from '@usersig/issuer'
