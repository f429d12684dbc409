import type { Actions, PageServerLoad } from './$types';
import { editActions, loadEditPage } from '#lib/directory/server/admin-pages.ts';

const edit = editActions('funding');

export const load: PageServerLoad = (event) => loadEditPage(event, 'funding');

export const actions: Actions = {
	preview: (event) => edit.preview(event),
	publish: (event) => edit.publish(event),
	restore: (event) => edit.restore(event)
};
