import type { Actions, PageServerLoad } from './$types';
import { loadNewFundingPage, newFundingActions } from '#lib/directory/server/admin-pages.ts';

const create = newFundingActions();

export const load: PageServerLoad = (event) => loadNewFundingPage(event);

export const actions: Actions = {
	preview: (event) => create.preview(event),
	publish: (event) => create.publish(event)
};
