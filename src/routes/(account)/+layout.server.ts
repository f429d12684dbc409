import type { LayoutServerLoad } from './$types';

// Plain HTML forms, no script: nothing to hydrate, and nothing typed before a script loads is lost.
export const csr = false;

/** Every page here has a form: its CSRF token (and the page is then never cached). */
export const load: LayoutServerLoad = ({ locals }) => ({ csrf: locals.csrf() });
