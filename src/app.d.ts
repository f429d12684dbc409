// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			locale: import('#lib/paraglide/runtime.js').Locale;
			/** The language the address names (`/es/...`), when it names one the region offers. */
			pathLocale?: import('#lib/paraglide/runtime.js').Locale;
			/** The signed-in person, or null (src/lib/server/auth/handle.ts). */
			user: import('#lib/server/auth/users.ts').SessionUser | null;
			/** The CSRF token for this visitor's forms; sets its cookie on first use. */
			csrf: () => string;
			/** The largest request body this request may send (src/lib/server/http/body-limit.ts). */
			bodyLimit?: number;
		}
	}
}

export {};
