import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Attendance, Stats } from './stats.schemas.js';
import type { StatsService } from './stats.service.js';

export const statsRoutes: FastifyPluginAsyncTypebox<{ stats: StatsService }> = async (app, { stats }) => {
  app.get(
    '/stats',
    { schema: { tags: ['operations'], summary: "Live figures for the organizers' dashboard", response: { 200: Stats } } },
    async () => stats.current(),
  );

  app.get(
    '/checkin/counts',
    {
      schema: {
        tags: ['check-in'],
        summary: "Participants registered and checked in, for a scanning station's counter",
        response: { 200: Attendance },
      },
    },
    async () => stats.attendance(),
  );
};
