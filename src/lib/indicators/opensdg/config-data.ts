/**
 * An Open SDG repository's data configuration, `config_data.yml`: its languages (the first is
 * the default, the one progress is measured in), its column settings (`indicator_options`:
 * non-disaggregation and observation-attribute columns, the series and unit columns)
 * and any status types it declares (`progress_status.status_types`,
 * `reporting_status.status_types`, each entry `{value, label}`). Every other field is kept as
 * written in `raw`, so an export writes the file back. Pure.
 */
import { parseDocument, stringify } from 'yaml';
import { DEFAULT_COLUMN_SETTINGS, type ColumnSettings } from '../columns.ts';
import type { ParseIssue } from './data-csv.ts';

export const CONFIG_DATA_FILE = 'config_data.yml';

export interface StatusType {
	value: string;
	/** As written: often a translation key such as `status.not_available_manual`. */
	label?: string;
}

export interface DataConfig {
	raw: Record<string, unknown>;
	languages: string[];
	/** Undefined when the file has no `indicator_options` lists: the defaults apply. */
	columns?: ColumnSettings;
	progressStatusTypes: StatusType[];
	reportingStatusTypes: StatusType[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textList(value: unknown): string[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim()).filter((v) => v !== '');
}

/** A column name as written (trimmed); undefined when blank or not a text. */
function columnName(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const name = String(value).trim();
	return name === '' ? undefined : name;
}

function statusTypes(value: unknown): StatusType[] {
	const list = isRecord(value) ? value['status_types'] : undefined;
	if (!Array.isArray(list)) return [];
	const types: StatusType[] = [];
	for (const item of list) {
		if (!isRecord(item)) continue;
		const v = item['value'];
		if (typeof v !== 'string' || v.trim() === '') continue;
		const label = item['label'];
		types.push(typeof label === 'string' && label.trim() !== '' ? { value: v.trim(), label: label.trim() } : { value: v.trim() });
	}
	return types;
}

/** Reads the fields Sac2050 uses from an already parsed mapping. */
export function dataConfigFromRaw(raw: Record<string, unknown>): DataConfig {
	const options = isRecord(raw['indicator_options']) ? raw['indicator_options'] : {};
	const nonDisaggregation = textList(options['non_disaggregation_columns']);
	const observationAttributes = textList(options['observation_attributes']);
	const config: DataConfig = {
		raw,
		languages: textList(raw['languages']) ?? [],
		progressStatusTypes: statusTypes(raw['progress_status']),
		reportingStatusTypes: statusTypes(raw['reporting_status'])
	};
	const seriesColumn = columnName(options['series_column']);
	const unitColumn = columnName(options['unit_column']);
	// Either list replaces its defaults wholesale; a missing one is empty, as in the published build.
	if (nonDisaggregation !== undefined || observationAttributes !== undefined) {
		config.columns = { nonDisaggregation: nonDisaggregation ?? [], observationAttributes: observationAttributes ?? [] };
	} else if (seriesColumn !== undefined || unitColumn !== undefined) {
		config.columns = { ...DEFAULT_COLUMN_SETTINGS };
	}
	if (config.columns && seriesColumn !== undefined) config.columns = { ...config.columns, seriesColumn };
	if (config.columns && unitColumn !== undefined) config.columns = { ...config.columns, unitColumn };
	return config;
}

export function parseDataConfig(text: string, file: string = CONFIG_DATA_FILE): { config: DataConfig; errors: ParseIssue[] } {
	const errors: ParseIssue[] = [];
	const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
	const doc = parseDocument(body, { uniqueKeys: false, prettyErrors: true });
	if (doc.errors.length > 0) {
		const first = doc.errors[0]!;
		const line = first.linePos?.[0]?.line ?? null;
		errors.push({
			file,
			line,
			column: null,
			message: `${line === null ? '' : `Line ${line}: `}the data configuration is not valid YAML (${first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim()}).`,
			fix: 'Check the indentation and quoting on that line.'
		});
		return { config: dataConfigFromRaw({}), errors };
	}
	const value: unknown = doc.toJS();
	return { config: dataConfigFromRaw(isRecord(value) ? value : {}), errors };
}

/** The default language: the first of `languages`, else English. */
export function defaultLanguage(config: Pick<DataConfig, 'languages'> | undefined): string {
	return config?.languages[0] ?? 'en';
}

export function serializeDataConfig(raw: Record<string, unknown>): string {
	return stringify(raw, { version: '1.1' });
}
