/**
 * The page cache's front door: answers a cached anonymous page straight from Node's
 * request, before the built app turns it into a Request and runs its hooks — the part of
 * a cache hit that costs the most. The built app (handle.ts, bundled) fills it in once its
 * cache is ready; `sac2050 serve` (loaded from src/, a separate copy of this module) finds
 * it through a global symbol, so both copies meet at one function.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** True when the page was answered; false to pass the request on to the app. `origin` is the site's, as the app will see it. */
export type FrontDoor = (req: IncomingMessage, res: ServerResponse, origin: string) => boolean;

const FRONT_DOOR = Symbol.for('sac2050.page-cache.front-door');

export function openFrontDoor(door: FrontDoor): void {
	(globalThis as Record<symbol, unknown>)[FRONT_DOOR] = door;
}

/** The front door of the app loaded in this process, if it has one. */
export function frontDoor(): FrontDoor | undefined {
	return (globalThis as Record<symbol, unknown>)[FRONT_DOOR] as FrontDoor | undefined;
}
