/** Tags as stored (participants' tags, a checkpoint's allowed tags): a JSON array, each tag once, in the order first given. */
export const storedTags = (tags: readonly string[]) => JSON.stringify([...new Set(tags)]);

export const parseTags = (stored: string) => JSON.parse(stored) as string[];
