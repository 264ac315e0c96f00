/** How the API writes an instant it stores as epoch milliseconds: ISO 8601 in UTC. */
export const toIso = (millis: number) => new Date(millis).toISOString();
export const toIsoOrNull = (millis: number | null) => (millis === null ? null : toIso(millis));
