import { type TSchema, Type } from 'typebox';

export const ErrorResponse = Type.Object({ error: Type.String() }, { $id: 'ErrorResponse' });

/** The seed's list shape: an object whose keys are ids, ascending. */
export const keyedById = <T extends TSchema>(item: T, description: string) =>
  Type.Object({}, { additionalProperties: item, description });

export const errorResponses = <const S extends number>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponse])) as Record<S, typeof ErrorResponse>;

/** Largest value of a 32-bit integer column: bigger ids can exist nowhere, so they are refused up front. */
export const MAX_ID = 2_147_483_647;

export const PositiveId = (message: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_ID, 'x-error': message });
