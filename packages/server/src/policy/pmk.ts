/** The PrivateMapKey policy (rules, webhook, deny by default) is the issuing pipeline's: one implementation for both adapters. */
export { denyAllPolicy, grant, pmkPolicy, roomMatches, roomText, rulesPolicy, webhookPolicy, type PmkGrant, type PmkPolicy, type PmkRequest } from '@usersig/issuer'
