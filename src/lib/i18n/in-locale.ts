import { getServerAsyncLocalStorage, type Locale } from '#lib/paraglide/runtime.js';

/**
 * Runs `fn` with Paraglide's messages in `locale` instead of the request's: for a response
 * whose address names its language (a chart file's `lang`). Outside a request (no
 * Paraglide middleware around it) `fn` runs as it is.
 */
export function inLocale<T>(locale: Locale, fn: () => T): T {
	const storage = getServerAsyncLocalStorage();
	const store = storage?.getStore();
	if (!storage || !store) return fn();
	return storage.run({ ...store, locale }, fn);
}
