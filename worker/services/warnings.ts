// Placeholder until warning levels land.
export async function refreshAllWarnings(_db: D1Database): Promise<void> {}
