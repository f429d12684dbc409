import type { RequestHandler } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { PlaceResponse } from '#lib/api/schemas.ts';
import { loadPlaceProfile } from '#lib/indicators/server/place-profile.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const profile = await loadPlaceProfile(await getDb(), params.code, locals.locale, m.place_other_area());
	if (!profile) throw notFound(`There is no place "${params.code}" in this region: places are named by their GeoCode, e.g. a county FIPS code.`);
	const body: PlaceResponse = {
		code: profile.code,
		name: profile.name,
		kind: profile.kind,
		url: `${url.origin}/places/${encodeURIComponent(profile.code)}`,
		areas: profile.areas.map((a) => ({
			id: a.id,
			name: a.name,
			indicators: a.indicators.map((i) => ({
				id: i.id,
				name: i.name,
				unit: i.unit,
				is_sample: i.isSample,
				latest: i.latest,
				region: i.region,
				others: i.others,
				url: `${url.origin}/indicators/${encodeURIComponent(i.id)}?${i.query}`
			}))
		}))
	};
	return jsonResponse(request, PlaceResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
