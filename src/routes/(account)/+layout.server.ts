import type { LayoutServerLoad } from './$types';

/** Every page here has a form: its CSRF token (and the page is then never cached). */
export const load: LayoutServerLoad = ({ locals }) => ({ csrf: locals.csrf() });
