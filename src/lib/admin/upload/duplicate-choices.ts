import { m } from '#lib/paraglide/messages.js';
import { DUPLICATE_POLICIES, type DuplicatePolicy } from '#lib/indicators/opensdg/data-csv.ts';

const LABEL: Record<DuplicatePolicy, () => string> = {
	error: () => m.upload_duplicates_error(),
	'keep-first': () => m.upload_duplicates_keep_first(),
	'keep-last': () => m.upload_duplicates_keep_last()
};

/** The upload form's choices for two lines of one observation with different values, default first. */
export function duplicateChoices(): { value: DuplicatePolicy; label: string }[] {
	return DUPLICATE_POLICIES.map((value) => ({ value, label: LABEL[value]() }));
}
