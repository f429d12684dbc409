import type { Db } from '#lib/server/db/connect.ts';
import { releaseDueStories } from './writes.ts';

/** How often a server looks for scheduled stories whose time has come. */
export const STORY_SCHEDULE_INTERVAL_MS = 30_000;

let timer: NodeJS.Timeout | undefined;

/**
 * Looks every 30 seconds (and once at start) for published stories whose scheduled time has
 * passed and, for any, renews every server's cached pages (releaseDueStories). The pages
 * themselves decide visibility by the time of each request, so a story is never shown early;
 * this only keeps cached lists from showing it late. A failed look is tried again next time.
 */
export function startStoryScheduler(db: Db): void {
	if (timer) return;
	const tick = () => void releaseDueStories(db).catch((error: unknown) => console.error(`Scheduled stories: ${(error as Error).message ?? String(error)}`));
	tick();
	timer = setInterval(tick, STORY_SCHEDULE_INTERVAL_MS);
	timer.unref();
}
