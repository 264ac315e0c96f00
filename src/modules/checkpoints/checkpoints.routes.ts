import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { ParticipantIdParams } from '../participants/participants.schemas.js';
import { actorOf } from '../auth/auth.js';
import {
  CheckpointMap,
  CheckpointParams,
  CheckpointPatch,
  ListCheckpointsQuery,
  NewCheckpoint,
  ScanAccepted,
  ScanBody,
  ScanListQuery,
  ScanMap,
  ScanParams,
  ScanRefusedOrError,
} from './checkpoints.schemas.js';
import type { CheckpointsService } from './checkpoints.service.js';

/** A refused scan is an answer, not an exception: it is stored (with the scan) like an accepted one. */
const SCAN_STATUS = { accepted: 201, refused: 409, unknown: 404 } as const;

export const checkpointsRoutes: FastifyPluginAsyncTypebox<{ checkpoints: CheckpointsService }> = async (app, { checkpoints }) => {
  app.post(
    '/checkpoints',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Create a checkpoint: a meal, workshop, swag table or anything else people are scanned at',
        body: NewCheckpoint,
        response: { 201: CheckpointMap, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { id, checkpoint } = await checkpoints.create(request.body, actorOf(request));
      reply.code(201);
      return { [id]: checkpoint };
    },
  );

  app.get(
    '/checkpoints',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Checkpoints keyed by id, with live counts; archived ones only with archived=true',
        querystring: ListCheckpointsQuery,
        response: { 200: CheckpointMap, ...errorResponses(400) },
      },
    },
    async (request) => checkpoints.list(request.query.archived ?? false),
  );

  app.get(
    '/checkpoints/:id',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'One checkpoint with its live counts',
        params: CheckpointParams,
        response: { 200: CheckpointMap, ...errorResponses(404) },
      },
    },
    async (request) => ({ [request.params.id]: await checkpoints.get(request.params.id) }),
  );

  app.put(
    '/checkpoints/:id',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Change a checkpoint; only the fields given change',
        params: CheckpointParams,
        body: CheckpointPatch,
        response: { 200: CheckpointMap, ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ [request.params.id]: await checkpoints.update(request.params.id, request.body, actorOf(request)) }),
  );

  app.delete(
    '/checkpoints/:id',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Archive a checkpoint: its scans stay, new scans are refused as closed',
        params: CheckpointParams,
        response: { 200: CheckpointMap, ...errorResponses(404) },
      },
    },
    async (request) => ({ [request.params.id]: await checkpoints.archive(request.params.id, actorOf(request)) }),
  );

  app.post(
    '/checkpoints/:id/scans',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Scan a participant here: 201 accepted, 409 refused with the reason as code; every scan is recorded',
        params: CheckpointParams,
        body: ScanBody,
        response: { 201: ScanAccepted, 404: ScanRefusedOrError, 409: ScanRefusedOrError, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { badge, participant_id: participantId, nonce, scanned_at: scannedAt } = request.body;
      const result = await checkpoints.scan(
        request.params.id,
        { target: { badge, participantId }, nonce, scannedAt },
        actorOf(request),
      );
      reply.code(SCAN_STATUS[result.status]);
      return result.body;
    },
  );

  app.get(
    '/checkpoints/:id/scans',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Scans here keyed by id, 100 a page, page 1 the newest; outcome=accepted (not annulled), refused or annulled',
        params: CheckpointParams,
        querystring: ScanListQuery,
        response: { 200: ScanMap, ...errorResponses(400, 404) },
      },
    },
    async (request) => checkpoints.scans(request.params.id, request.query.outcome, request.query.page ?? 1),
  );

  app.post(
    '/scans/:id/undo',
    {
      schema: {
        tags: ['checkpoints'],
        summary: 'Undo an accepted scan: by the key that scanned within SCAN_UNDO_MINUTES, or by an admin',
        params: ScanParams,
        response: { 200: ScanMap, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => ({ [request.params.id]: await checkpoints.undo(request.params.id, actorOf(request)) }),
  );

  app.get(
    '/users/:id/scans',
    {
      schema: {
        tags: ['checkpoints'],
        summary: "A participant's scans at every checkpoint, keyed by id",
        params: ParticipantIdParams,
        response: { 200: ScanMap, ...errorResponses(404) },
      },
    },
    async (request) => checkpoints.participantScans(request.params.id),
  );
};
