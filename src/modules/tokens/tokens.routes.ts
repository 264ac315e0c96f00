import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import { ParticipantIdParams } from '../participants/participants.schemas.js';
import { ExchangeBody, ExchangeResult, GrantBody, GrantResult, TokenHistory, TokenHistoryQuery } from './tokens.schemas.js';
import type { TokensService } from './tokens.service.js';

export const tokensRoutes: FastifyPluginAsyncTypebox<{ tokens: TokensService }> = async (app, { tokens }) => {
  app.put(
    '/bbt_token_exchange',
    {
      schema: {
        tags: ['boba'],
        summary: 'Two participants who met each get one token (cooldown and pair limit apply)',
        body: ExchangeBody,
        response: { 200: ExchangeResult, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      tokens.exchange(
        {
          participant1Id: request.body.participant_1_id,
          participant2Id: request.body.participant_2_id,
          participant2Badge: request.body.participant_2_badge,
          participant2Code: request.body.participant_2_code,
        },
        actorOf(request),
      ),
  );

  app.put(
    '/bbt_token_admin_give',
    {
      schema: {
        tags: ['boba'],
        summary: 'Grant (or, negative, take back) tokens; never below zero',
        body: GrantBody,
        response: { 200: GrantResult, ...errorResponses(400, 404) },
      },
    },
    async (request) => tokens.grant(request.body.participant_id, request.body.tokens, actorOf(request)),
  );

  app.get(
    '/users/:id/tokens',
    {
      schema: {
        tags: ['boba'],
        summary: "A participant's balance and token ledger, newest first",
        params: ParticipantIdParams,
        querystring: TokenHistoryQuery,
        response: { 200: TokenHistory, ...errorResponses(400, 404) },
      },
    },
    async (request) => tokens.history(request.params.id, request.query.page, request.query.page_size),
  );
};
