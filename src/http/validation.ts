import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import type { ErrorCode } from '../errors.js';

/**
 * Schema annotations read by the error handler: `x-error` replaces the generated message for a failing
 * value, `x-status` its status and `x-code` its code, else `validation_failed` (a malformed path id is a
 * 404 "Participant not found", `participant_not_found`, as in the seed).
 */
const ERROR_MESSAGE_KEYWORD = 'x-error';
const ERROR_STATUS_KEYWORD = 'x-status';
const ERROR_CODE_KEYWORD = 'x-code';

function createAjv(coerceTypes: boolean): Ajv {
  const options: Options = {
    coerceTypes,
    useDefaults: true,
    // Unknown fields are ignored, as in the seed, and never reach a service.
    removeAdditional: 'all',
    allErrors: false,
    verbose: true,
    strict: false,
  };
  const ajv = new Ajv(options);
  ajv.addKeyword({ keyword: ERROR_MESSAGE_KEYWORD, schemaType: 'string' });
  ajv.addKeyword({ keyword: ERROR_STATUS_KEYWORD, schemaType: 'number' });
  ajv.addKeyword({ keyword: ERROR_CODE_KEYWORD, schemaType: 'string' });
  return ajv;
}

/** Query strings and path parameters are text and get parsed; JSON bodies are validated exactly as sent. */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const parsing = createAjv(true);
  const strict = createAjv(false);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : parsing;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}

export interface ValidationFailure {
  status: number;
  code: ErrorCode;
  message: string;
}

function readablePath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** Turns the first Ajv error of a request part into the API's one-line message. */
export function describeValidationError(error: ErrorObject, part: string | undefined): ValidationFailure {
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const path = readablePath(error.instancePath);
  const status = typeof schema[ERROR_STATUS_KEYWORD] === 'number' ? schema[ERROR_STATUS_KEYWORD] : 400;
  const code = typeof schema[ERROR_CODE_KEYWORD] === 'string' ? (schema[ERROR_CODE_KEYWORD] as ErrorCode) : 'validation_failed';
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { status, code, message: `${path ? `${path}.` : ''}${missing} required` };
  }
  if (typeof schema[ERROR_MESSAGE_KEYWORD] === 'string') {
    return { status, code, message: schema[ERROR_MESSAGE_KEYWORD] };
  }
  if ((part === 'body' || part === 'record') && path === '' && error.keyword === 'type') {
    return { status, code, message: 'Invalid request, needs json' };
  }
  return { status, code, message: `${path || part || 'request'} ${error.message ?? 'is invalid'}` };
}

/** Validates a value like a JSON body outside a request (the file import); returns the problem or undefined. */
export function createRecordValidator(schema: object): (value: unknown) => string | undefined {
  const validate = createAjv(false).compile(schema);
  return (value) => {
    if (validate(value)) {
      const nulPath = findNulText(value);
      return nulPath ? nulTextMessage(nulPath) : undefined;
    }
    const first = validate.errors?.[0];
    return first ? describeValidationError(first, 'record').message : 'invalid record';
  };
}

/**
 * The path of the first string inside `value` that holds a NUL character, or undefined. PostgreSQL cannot
 * store NUL in text, so such a request is refused on both databases before it reaches one.
 */
export function findNulText(value: unknown, instancePath = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? readablePath(instancePath) || 'value' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = findNulText(inner, `${instancePath}/${key}`);
    if (found) return found;
  }
  return undefined;
}

export const nulTextMessage = (path: string) => `${path} must not contain NUL characters`;
