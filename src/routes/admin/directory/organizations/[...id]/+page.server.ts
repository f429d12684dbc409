import type { Actions, PageServerLoad } from './$types';
import { editActions, loadEditPage } from '#lib/directory/server/admin-pages.ts';

const edit = editActions('organizations');

export const load: PageServerLoad = (event) => loadEditPage(event, 'organizations');

export const actions: Actions = {
	preview: (event) => edit.preview(event),
	publish: (event) => edit.publish(event),
	restore: (event) => edit.restore(event)
};
