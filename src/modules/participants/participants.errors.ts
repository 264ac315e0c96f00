import { notFound } from '../../errors.js';

/** Every module that looks a participant up answers a missing one the same way. */
export const participantNotFound = () => notFound('participant_not_found', 'Participant not found');
