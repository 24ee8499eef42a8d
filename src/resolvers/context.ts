/** What every resolver gets: the database, the server's jobs, the caller's admin access, per-request loaders. */
import type { Database } from '../db/index.js';
import type { JobRegistry } from '../jobs/index.js';
import type { Loaders } from './loaders.js';

/**
 * The caller's right to run admin mutations, decided once per request from the
 * Authorization header (see server/auth.ts):
 *   admin     the bearer token is the admin token
 *   open      no admin token is configured (loopback only): everyone is admin
 *   missing   a token is configured and none was sent
 *   malformed an Authorization header that is not "Bearer <token>"
 *   wrong     a bearer token that is not the admin token
 */
export type AdminAccess = 'admin' | 'open' | 'missing' | 'malformed' | 'wrong';

export interface GraphQLContext {
  database: Database;
  jobs: JobRegistry;
  access: AdminAccess;
  loaders: Loaders;
}
