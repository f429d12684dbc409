import type { Locale } from '#lib/paraglide/runtime.js';

/** What the header's account links show: who is reading (null when nobody is signed in). */
export interface AccountNavProps {
	user: { canAdmin: boolean } | null;
	/** The sign-out form's CSRF token; null for anonymous readers. */
	csrf: string | null;
	pathname: string;
	locale: Locale;
}
