import { locales, type Locale } from '#lib/paraglide/runtime.js';

/**
 * The languages the region offers, for the address rule shared by the server and the
 * universal `reroute` hook (which cannot read the region pack itself). The server sets it
 * from the region pack at start; until then every compiled language counts.
 */
let offered: readonly Locale[] = locales;

export function offeredLocales(): readonly Locale[] {
	return offered;
}

export function setOfferedLocales(codes: readonly Locale[]): void {
	offered = codes;
}
