import type { FastifyReply } from 'fastify';

/** The API's stable error codes (API-CONTRACT.md, docs/api.md). */
export type ApiErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'bad_token'
  | 'bad_login'
  | 'forbidden'
  | 'csrf'
  | 'not_found'
  | 'method_not_allowed'
  | 'too_large'
  | 'busy'
  | 'too_many_logins'
  | 'not_ready'
  | 'no_dashboard'
  | 'internal';

export interface ApiError {
  readonly error: ApiErrorCode;
  readonly message: string;
}

export function sendError(reply: FastifyReply, status: number, error: ApiErrorCode, message: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, message } satisfies ApiError);
}
