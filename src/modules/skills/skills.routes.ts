import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { SkillsQuery, SkillStatsMap } from './skills.schemas.js';
import type { SkillsService } from './skills.service.js';

export const skillsRoutes: FastifyPluginAsyncTypebox<{ skills: SkillsService }> = async (app, { skills }) => {
  app.get(
    '/skills',
    {
      config: { cacheResponse: true },
      schema: {
        tags: ['skills'],
        summary: 'Frequency and average rating of every skill, with optional filters',
        querystring: SkillsQuery,
        response: { 200: SkillStatsMap, ...errorResponses(400) },
      },
    },
    async (request) =>
      skills.list({
        minFrequency: request.query.min_frequency,
        maxFrequency: request.query.max_frequency,
        minAverageRating: request.query.min_average_rating,
        maxAverageRating: request.query.max_average_rating,
        keyword: request.query.keyword,
      }),
  );
};
