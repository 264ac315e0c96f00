import { Type } from 'typebox';
import { IdParams, keyedById } from '../../http/schemas.js';

const MAX_TEXT = 200;
const MAX_SKILLS_PER_REQUEST = 100;
export const MAX_TAGS = 20;

/** Short lower-case words: `hacker`, `mentor`, `meal-group-a`. */
export const Tag = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  'x-error': 'A tag is 1 to 40 lower-case letters, digits, - or _, such as meal-group-a',
});

const Tags = Type.Array(Tag, { maxItems: MAX_TAGS, 'x-error': `tags must be a list of at most ${MAX_TAGS} tags` });

const text = (field: string) =>
  Type.String({ maxLength: MAX_TEXT, 'x-error': `${field} must be a string of at most ${MAX_TEXT} characters` });
const email = Type.String({
  maxLength: MAX_TEXT,
  pattern: '^[^\\s@]+@[^\\s@]+$',
  'x-error': 'email must be a valid e-mail address',
});

export const SkillRating = Type.Object({
  skill: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
});

const SkillRatings = Type.Array(SkillRating, { maxItems: MAX_SKILLS_PER_REQUEST });

export const Participant = Type.Object({
  name: Type.String(),
  company: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  checked_in: Type.Boolean(),
  bbt_tokens: Type.Integer(),
  bbt_tokens_last_exchange_time: Type.Integer({ description: 'Unix seconds of the last token exchange; 0 when never exchanged' }),
  skills: Type.Array(SkillRating),
  tags: Type.Array(Type.String(), { description: 'Short lower-case tags such as hacker, mentor, meal-group-a' }),
  dietary_restrictions: Type.String({ description: 'Free text; empty when none' }),
});

export const ParticipantMap = keyedById(Participant, 'Participants keyed by id');

export const RegisteredParticipant = Type.Object({
  ...Participant.properties,
  api_key: Type.Optional(Type.String({ description: 'With OPEN_REGISTRATION=true only: the new participant key, shown once' })),
});

export const RegisteredParticipantMap = keyedById(RegisteredParticipant, 'The new participant, keyed by id');

export const ParticipantIdParams = IdParams('Participant not found', 'participant_not_found');

export const ListParticipantsQuery = Type.Object({
  checked_in: Type.Optional(Type.Boolean({ 'x-error': 'checked_in must be true or false' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, 'x-error': 'Invalid page number' })),
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Search: case-insensitive part of the name or e-mail, or an exact id' }),
  ),
});

export const ParticipantPatch = Type.Object({
  name: Type.Optional(text('name')),
  company: Type.Optional(text('company')),
  email: Type.Optional(email),
  phone: Type.Optional(text('phone')),
  skills: Type.Optional(SkillRatings),
  tags: Type.Optional({ ...Tags, description: 'Admin keys only; replaces the whole list (a tag given twice counts once)' }),
  dietary_restrictions: Type.Optional(text('dietary_restrictions')),
});

export const Registration = Type.Object({
  name: text('name'),
  company: text('company'),
  email,
  phone: text('phone'),
  skills: Type.Optional(SkillRatings),
  tags: Type.Optional({ ...Tags, description: 'Admin keys only; default ["hacker"] (a tag given twice counts once)' }),
  dietary_restrictions: Type.Optional(text('dietary_restrictions')),
});

export const DeletionBody = Type.Object(
  { confirm: Type.Optional(Type.Boolean({ 'x-error': 'confirm must be true or false' })) },
  { description: 'Optional for an admin; a participant deleting themself must send {"confirm": true}' },
);

export const DeletedParticipant = Type.Object({
  id: Type.Integer(),
  deleted: Type.Literal(true),
});
