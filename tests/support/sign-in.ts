/**
 * Signing in without a browser, for tests that send requests by hand: the CSRF cookie and
 * token from the sign-in page, then the sign-in form's POST. Returns the Cookie header
 * (session and CSRF) and the CSRF token for later forms.
 */
export interface SignedIn {
	cookie: string;
	token: string;
}

function cookiePairs(response: Response): string[] {
	return response.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

export async function csrfSession(base: string): Promise<SignedIn> {
	const page = await fetch(base + '/sign-in');
	const token = /name="_csrf" value="([\w-]+)"/.exec(await page.text())?.[1];
	const cookie = cookiePairs(page).find((c) => c.startsWith('sac2050.csrf='));
	if (!token || !cookie) throw new Error('The sign-in page gave no CSRF token.');
	return { cookie, token };
}

export async function signInByHand(base: string, email: string, password: string): Promise<SignedIn> {
	const { cookie, token } = await csrfSession(base);
	const response = await fetch(base + '/sign-in', {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
		body: new URLSearchParams({ _csrf: token, email, password })
	});
	const session = cookiePairs(response).find((c) => c.startsWith('sac2050.session_token='));
	if (response.status !== 303 || !session) throw new Error(`Signing in ${email} failed with ${response.status}: ${(await response.text()).slice(0, 300)}`);
	return { cookie: `${cookie}; ${session}`, token };
}
