import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import { ParticipantIdParams } from '../participants/participants.schemas.js';
import {
  ItemMap,
  ItemParams,
  ItemPatch,
  ListItemsQuery,
  ListLoansQuery,
  ListRequestsQuery,
  LoanMap,
  LoanMovementBody,
  LoanParams,
  LoanWithHistoryMap,
  MoveRequestBody,
  NewItem,
  NewLoan,
  NewRequest,
  RequestMap,
  RequestParams,
} from './hardware.schemas.js';
import type { HardwareService } from './hardware.service.js';

const tags = ['hardware'];

export const hardwareRoutes: FastifyPluginAsyncTypebox<{ hardware: HardwareService }> = async (app, { hardware }) => {
  app.post(
    '/hardware',
    {
      schema: {
        tags,
        summary: 'Add an item to the hardware library',
        body: NewItem,
        response: { 201: ItemMap, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { id, item } = await hardware.createItem(request.body, actorOf(request));
      reply.code(201);
      return { [id]: item };
    },
  );

  app.get(
    '/hardware',
    {
      schema: {
        tags,
        summary: 'The hardware catalogue keyed by id, with what is available now; archived items only with archived=true',
        querystring: ListItemsQuery,
        response: { 200: ItemMap, ...errorResponses(400) },
      },
    },
    async (request) => hardware.listItems(request.query.archived ?? false),
  );

  app.get(
    '/hardware/:id',
    {
      schema: { tags, summary: 'One item', params: ItemParams, response: { 200: ItemMap, ...errorResponses(404) } },
    },
    async (request) => ({ [request.params.id]: await hardware.getItem(request.params.id) }),
  );

  app.put(
    '/hardware/:id',
    {
      schema: {
        tags,
        summary: 'Change an item; only the fields given change, and the quantity never drops below the units out',
        params: ItemParams,
        body: ItemPatch,
        response: { 200: ItemMap, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => ({ [request.params.id]: await hardware.updateItem(request.params.id, request.body, actorOf(request)) }),
  );

  app.delete(
    '/hardware/:id',
    {
      schema: {
        tags,
        summary: 'Archive an item: its loans stay and can come back, its open requests are cancelled, nothing new is lent',
        params: ItemParams,
        response: { 200: ItemMap, ...errorResponses(404) },
      },
    },
    async (request) => ({ [request.params.id]: await hardware.archiveItem(request.params.id, actorOf(request)) }),
  );

  app.post(
    '/hardware/requests',
    {
      schema: {
        tags,
        summary: 'Ask for an item: join its queue',
        body: NewRequest,
        response: { 201: RequestMap, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id, request: created } = await hardware.request(request.body, actorOf(request));
      reply.code(201);
      return { [id]: created };
    },
  );

  app.get(
    '/hardware/requests',
    {
      schema: {
        tags,
        summary:
          'Requests keyed by id with their place in the queue; open ones unless status says otherwise; a participant sees their own',
        querystring: ListRequestsQuery,
        response: { 200: RequestMap, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { item_id: itemId, participant_id: participantId, status } = request.query;
      return hardware.listRequests({ itemId, participantId, status }, actorOf(request));
    },
  );

  app.put(
    '/hardware/requests/:id',
    {
      schema: {
        tags,
        summary: 'Move a request: ready, back to requested, or cancelled; `from` guards against moving it twice',
        params: RequestParams,
        body: MoveRequestBody,
        response: { 200: RequestMap, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => ({
      [request.params.id]: await hardware.moveRequest(
        request.params.id,
        request.body.status,
        actorOf(request),
        request.body.from,
      ),
    }),
  );

  app.post(
    '/hardware/loans',
    {
      schema: {
        tags,
        summary: 'Lend an item to the participant of a badge or id; refused with 409 and a code when it cannot be',
        body: NewLoan,
        response: { 201: LoanMap, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id, loan } = await hardware.lend(request.body, actorOf(request));
      reply.code(201);
      return { [id]: loan };
    },
  );

  app.get(
    '/hardware/loans',
    {
      schema: {
        tags,
        summary: 'Loans keyed by id, 100 a page, page 1 the newest; status=overdue for loans out past their due time',
        querystring: ListLoansQuery,
        response: { 200: LoanMap, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { status, item_id: itemId, participant_id: participantId, page } = request.query;
      return hardware.listLoans({ status, itemId, participantId }, page ?? 1);
    },
  );

  app.get(
    '/hardware/loans/:id',
    {
      schema: {
        tags,
        summary: 'One loan with every movement of it and the key that made it',
        params: LoanParams,
        response: { 200: LoanWithHistoryMap, ...errorResponses(403, 404) },
      },
    },
    async (request) => ({ [request.params.id]: await hardware.getLoan(request.params.id, actorOf(request)) }),
  );

  app.post(
    '/hardware/loans/:id/return',
    {
      schema: {
        tags,
        summary: 'Take units of a loan back; all that are out unless quantity says fewer',
        params: LoanParams,
        body: LoanMovementBody,
        response: { 200: LoanMap, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => ({
      [request.params.id]: await hardware.giveBack(request.params.id, request.body, actorOf(request)),
    }),
  );

  app.post(
    '/hardware/loans/:id/lost',
    {
      schema: {
        tags,
        summary: 'Write units of a loan off as lost: they leave the stock',
        params: LoanParams,
        body: LoanMovementBody,
        response: { 200: LoanMap, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => ({
      [request.params.id]: await hardware.writeOff(request.params.id, request.body, actorOf(request)),
    }),
  );

  app.get(
    '/users/:id/loans',
    {
      schema: {
        tags,
        summary: "A participant's loans keyed by id, every status",
        params: ParticipantIdParams,
        response: { 200: LoanMap, ...errorResponses(404) },
      },
    },
    async (request) => hardware.participantLoans(request.params.id),
  );
};
