import type { ProgressOptions } from '#lib/indicators/progress.ts';
import type { StoredProgressConfig } from '#lib/indicators/server/progress-store.ts';
import type { IndicatorValue } from './forms.ts';

/**
 * The progress settings of the indicator form, to and from what the indicator row keeps in
 * `progress_config` (see progressConfigFor in progress-store.ts). Pure, unit-tested.
 *
 * - Indicators created in Sac2050 ('region') measure from their direction and headline target
 *   by default; a base year or limit other than the default is kept as one explicit option.
 * - Imported Open SDG indicators keep their repository's options; the form edits the first
 *   one (the headline), so the target entered here is also the one the measure uses.
 */
type ProgressFields = Pick<IndicatorValue, 'direction' | 'progress' | 'baseYear' | 'limit' | 'target'>;

export function progressConfigFromForm(stored: StoredProgressConfig, form: ProgressFields): StoredProgressConfig {
	const keep: StoredProgressConfig = {};
	if (stored.origin) keep.origin = stored.origin;
	if (stored.progress_status !== undefined) keep.progress_status = stored.progress_status;

	if (stored.origin === 'opensdg') {
		const options = (stored.progress_calculation_options ?? []).map((o) => ({ ...o }));
		if (form.progress === 'auto' && options.length === 0) options.push({});
		const first = options[0];
		if (first) {
			setOrDelete(first, 'direction', form.direction ?? undefined);
			setOrDelete(first, 'base_year', form.baseYear ?? undefined);
			setOrDelete(first, 'limit', form.limit ?? undefined);
			setOrDelete(first, 'target', form.target?.value);
			setOrDelete(first, 'target_year', form.target?.year);
		}
		return { ...keep, auto_progress_calculation: form.progress === 'auto', ...(options.length ? { progress_calculation_options: options } : {}) };
	}

	if (form.progress === 'off') return { ...keep, auto_progress_calculation: false };
	if (!form.direction || (form.baseYear === null && form.limit === null)) return keep;
	const option: ProgressOptions = { direction: form.direction, base_year: form.baseYear ?? REGION_DEFAULT_BASE_YEAR };
	if (form.limit !== null) option.limit = form.limit;
	if (form.target) {
		option.target = form.target.value;
		option.target_year = form.target.year;
	}
	return { ...keep, auto_progress_calculation: true, progress_calculation_options: [option] };
}

/** Same as REGION_BASE_YEAR in progress-store.ts (not imported: that module reads the database). */
const REGION_DEFAULT_BASE_YEAR = 2015;

function setOrDelete<K extends keyof ProgressOptions>(options: ProgressOptions, key: K, value: ProgressOptions[K] | undefined): void {
	if (value === undefined) delete options[key];
	else options[key] = value;
}

/** The form's progress fields for a stored configuration. */
export function progressFormValues(stored: StoredProgressConfig): { progress: 'auto' | 'off'; baseYear: string; limit: string } {
	const first = stored.progress_calculation_options?.[0];
	const off = stored.origin === 'opensdg' ? stored.auto_progress_calculation !== true : stored.auto_progress_calculation === false;
	return {
		progress: off ? 'off' : 'auto',
		baseYear: first?.base_year !== undefined ? String(first.base_year) : '',
		limit: first?.limit !== undefined ? String(first.limit) : ''
	};
}
