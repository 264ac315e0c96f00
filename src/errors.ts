/**
 * What went wrong, in domain terms. `not_found` maps to 404, `forbidden` to 403 and `rejected` to 400 (the
 * seed's contract answers every refused request with 400); the code is stable for clients and tests.
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'rejected';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
/** Always the plain 403 message of the auth layer: a refused caller learns nothing more. */
export const forbidden = (code: string) => new DomainError('forbidden', code, 'Forbidden');
export const rejected = (code: string, message: string) => new DomainError('rejected', code, message);
