import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rejected } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import type { CsvImportService } from './csv-import.js';
import { CsvFormatError, decodeUtf8 } from './csv-reader.js';
import { CsvBody, ImportQuery, ImportSummary } from './import.schemas.js';

/** An upload of this size holds about 100,000 registrations, more than any event has. */
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * What a CSV file arrives as: text/csv; application/vnd.ms-excel from browsers on Windows with Excel; text/plain
 * or no type at all from scripts (fetch with a string body says text/plain).
 */
const CSV_TYPES = /^\s*(text\/csv|application\/csv|application\/vnd\.ms-excel|text\/plain|text\/tab-separated-values)\s*(;|$)/i;

const unsupportedType = () =>
  Object.assign(new Error('Unsupported content type: send the CSV file as text/csv'), { statusCode: 415 });

export const importRoutes: FastifyPluginAsyncTypebox<{ imports: CsvImportService }> = async (app, { imports }) => {
  // Within this plugin only, bodies are CSV text rather than JSON; a JSON body (or a form) is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (request, body: Buffer, done) => {
    const type = request.headers['content-type'];
    if (type !== undefined && !CSV_TYPES.test(type)) return done(unsupportedType(), undefined);
    try {
      done(null, decodeUtf8(body));
    } catch (error) {
      done(error instanceof CsvFormatError ? rejected('invalid_csv', error.message) : (error as Error), undefined);
    }
  });

  app.post(
    '/imports',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['participants'],
        summary:
          'Import participants from a CSV file (a registration tool export); with dry_run=true, only say what would happen',
        description:
          'Columns are found by header (Name or First Name + Last Name, Email, Phone, Company/School, Skills, Dietary ' +
          'Restrictions, Tags, and one column per skill such as `Rate your skills [Python]`) or named with `map`. Rows whose ' +
          'e-mail is taken (in the file or the event, in any letter case) are skipped, or updated with update=true; bad rows ' +
          'are skipped with their row number and why; the rest loads. Up to 20 MB.',
        consumes: ['text/csv'],
        querystring: ImportQuery,
        body: CsvBody,
        response: { 200: ImportSummary, ...errorResponses(400, 409, 413, 415) },
      },
    },
    async (request) =>
      imports.upload(
        request.body,
        {
          dryRun: request.query.dry_run ?? false,
          update: request.query.update ?? false,
          reset: request.query.reset ?? false,
          map: request.query.map,
        },
        actorOf(request),
      ),
  );
};
