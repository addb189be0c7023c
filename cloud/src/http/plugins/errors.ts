import { AppError, ErrorCode, errors, type FieldIssue, isAppError } from '@gymstack/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { CloudApp } from '../app-types.js';
import { failure } from '../envelope.js';

/** HTTP status of each error code; a code not listed is a broken business rule (422). */
const statusOf: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.ValidationError]: 400,
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.DuplicatePhone]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.SchemaVersionMismatch]: 409,
  [ErrorCode.InvalidSignature]: 400,
  [ErrorCode.PaymentProviderFailed]: 502,
  [ErrorCode.InvoiceLinkInvalid]: 400,
  [ErrorCode.InvoiceLinkExpired]: 410,
  [ErrorCode.InvoiceLinkRevoked]: 410,
};

/** Framework errors that already carry a 4xx status, by that status. */
const codeOfStatus: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  429: ErrorCode.RateLimited,
};

/** zod's issues as field paths: `phone` in the body, `query.limit` or `params.id` elsewhere. */
function fieldIssues(error: { validation: { instancePath: string; message?: string }[]; validationContext?: string }): FieldIssue[] {
  const where = error.validationContext === 'body' || !error.validationContext ? '' : `${error.validationContext.replace('querystring', 'query')}.`;
  return error.validation.map((v) => ({ path: where + v.instancePath.slice(1).replaceAll('/', '.'), message: v.message ?? 'Invalid value' }));
}

function send(reply: FastifyReply, status: number, error: AppError): FastifyReply {
  return reply.code(status).send(failure(status, error.toPayload()));
}

/**
 * One place turns every error into the envelope with a stable code (DESIGN 5). Unexpected errors get a
 * generic message; their detail and stack go to the log only.
 */
export function errorHandling(app: CloudApp): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, 400, errors.validation(fieldIssues(error)));
    }
    if (isAppError(error)) {
      const status = statusOf[error.code] ?? 422;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, status, error);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, wrong content type, body too large) say what was wrong.
      return send(reply, status, new AppError(codeOfStatus[status] ?? ErrorCode.BadRequest, error.message));
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, 500, new AppError(ErrorCode.Internal, 'Something went wrong; the request was not completed'));
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, new AppError(ErrorCode.NotFound, `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
