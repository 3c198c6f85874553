import { ErrorBody } from '../errors'
import { json } from '../schemas/common'

/** What every route file shares in its OpenAPI description, declared once. */

/** Every /api route but /api/health needs a bearer token (worker/middleware/authenticate.ts). */
export const security = [{ bearer: [] }]

const error = (description: string) => json(ErrorBody, description)

/** The errors any signed-in route may answer, in the one error shape; a route adds its own 403, 404 and 409. */
export const errors = {
  400: error('Invalid input: `field` names what is at fault'),
  401: error('No, unknown, revoked or expired token, or a disabled user'),
  403: error('Not allowed for this role or site (a hospital blood bank calls only its own hospital’s routes)'),
  413: error('too_large: the body is over the limit (256 KiB; 8 MiB for plan instances and CSV), field `body`'),
  429: error('Too many failed sign-ins from this client (see Retry-After)'),
}
