/** Authentication of engine connections (SCRAM-SHA-256) and the policy of when it is required. */
export { AuthSession, Authenticator } from './session.js';
export { scramCredential, ScramConversation, ScramError, SCRAM_MECHANISM, type ScramCredential } from './scram.js';
export { isLoopbackHost, resolveEngineAuth, type EngineAuthChoice, type EngineAuthRequest } from './policy.js';
