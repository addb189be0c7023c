import { z } from 'zod';
import type { Page } from '../domain/page.js';
import { pageMeta } from '../domain/schemas.js';
import { failureSchema, okSchema } from './envelope.js';

/** The failures any tenant route may answer with, for OpenAPI (the error handler shapes them). */
export const failures = {
  400: failureSchema,
  401: failureSchema,
  403: failureSchema,
  404: failureSchema,
  409: failureSchema,
  422: failureSchema,
} as const;

/** Tenant routes take a Bearer access token. */
export const bearer = [{ bearer: [] }];

/** A list endpoint's envelope: one page of items and `meta: { page, perPage, total }`. */
export const pageSchema = <D extends z.ZodType>(item: D) => okSchema(z.array(item)).extend({ meta: pageMeta });

export const okNull = okSchema(z.null());

/** A page as the list envelope. */
export const okPage = <T>(page: Page<T>) => ({ success: true as const, data: page.items, meta: page.meta });
