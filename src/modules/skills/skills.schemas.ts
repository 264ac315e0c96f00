import { Type } from 'typebox';

export const SkillsQuery = Type.Object({
  min_frequency: Type.Optional(Type.Integer({ 'x-error': 'min_frequency must be an integer' })),
  max_frequency: Type.Optional(Type.Integer({ 'x-error': 'max_frequency must be an integer' })),
  min_average_rating: Type.Optional(Type.Number({ 'x-error': 'min_average_rating must be a number' })),
  max_average_rating: Type.Optional(Type.Number({ 'x-error': 'max_average_rating must be a number' })),
  keyword: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive substring of the skill name' })),
});

export const SkillStats = Type.Object({
  frequency: Type.Integer({ description: 'Participants with the skill' }),
  average_rating: Type.Number({ description: 'Mean rating, rounded to 2 decimals' }),
});

export const SkillStatsMap = Type.Object(
  {},
  { additionalProperties: SkillStats, description: 'Skill statistics keyed by skill name, sorted by name' },
);
