import { type Static, type TSchema, Type } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../errors.js';

/**
 * Every error body: the seed's human message and a stable code to branch on. Registered once as a shared
 * schema (registerErrorHandling), so the OpenAPI document lists it once and every error response refers to it.
 */
export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'Human-readable message; may change, branch on code instead' }),
    code: Type.Unsafe<ErrorCode>({ type: 'string', enum: [...ERROR_CODES], description: 'Stable machine-readable code' }),
  },
  { $id: 'ErrorResponse', additionalProperties: false },
);

/** The seed's list shape: an object whose keys are ids, ascending. */
export const keyedById = <T extends TSchema>(item: T, description: string) =>
  Type.Object({}, { additionalProperties: item, description });

/** Rows in the seed's list shape: an object keyed by their ids, each row as `view` shows it. */
export const keyedRows = <R extends { id: number }, V>(rows: R[], view: (row: R) => V): Record<string, V> =>
  Object.fromEntries(rows.map((row) => [row.id, view(row)]));

export type ErrorBody = Static<typeof ErrorResponse>;

export const ErrorResponseRef = Type.Unsafe<ErrorBody>({ $ref: 'ErrorResponse#' });

export const errorResponses = <const S extends number>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponseRef])) as Record<S, typeof ErrorResponseRef>;

/** Largest value of a 32-bit integer column: bigger ids can exist nowhere, so they are refused up front. */
export const MAX_ID = 2_147_483_647;

/** One of `values`, typed as their union (an enum in the OpenAPI document). */
export const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** A schema that also takes null. */
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const PositiveId = (message: string) => Type.Integer({ minimum: 1, maximum: MAX_ID, 'x-error': message });

/** The `:id` of a resource's path: one that cannot exist (`/abc`, `0`, too large) is answered as not found. */
export const IdParams = (message: string, code: ErrorCode) =>
  Type.Object({
    id: Type.Integer({ minimum: 1, maximum: MAX_ID, 'x-error': message, 'x-status': 404, 'x-code': code }),
  });
