// @ts-check
/*
 * Progressive enhancement for the indicator page's "Choose what to show" form. Without
 * JavaScript the form is a plain GET form. With it, changing a choice fetches the same
 * server-rendered page for the new URL and swaps the main content in place, keeping focus
 * on the control and announcing the new view; the address bar always reproduces the view.
 */
(() => {
	const FORM = 'form.view-form';
	// Outside the swapped content, so screen readers hear each new view.
	const status = document.createElement('p');
	status.className = 'usa-sr-only';
	status.setAttribute('aria-live', 'polite');
	document.addEventListener('DOMContentLoaded', () => document.body.append(status));

	/** @param {HTMLFormElement} form @param {string | null} focusId */
	async function show(form, focusId) {
		const url = new URL(form.action, location.href);
		url.search = new URLSearchParams(/** @type {any} */ (new FormData(form))).toString();
		const main = document.getElementById('main-content');
		if (!main) return location.assign(url);
		main.setAttribute('aria-busy', 'true');
		try {
			const response = await fetch(url, { headers: { accept: 'text/html' } });
			if (!response.ok) throw new Error(String(response.status));
			const next = new DOMParser().parseFromString(await response.text(), 'text/html');
			const nextMain = next.getElementById('main-content');
			if (!nextMain) throw new Error('no main content');
			main.replaceWith(document.adoptNode(nextMain));
			document.title = next.title;
			history.pushState({ viewForm: true }, '', url);
			if (focusId) document.getElementById(focusId)?.focus();
			status.textContent = document.getElementById('trend-heading')?.textContent ?? '';
		} catch {
			location.assign(url);
		}
	}

	document.addEventListener('change', (event) => {
		const target = /** @type {HTMLElement} */ (event.target);
		const form = target.closest(FORM);
		if (form instanceof HTMLFormElement && (target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'checkbox'))) show(form, target.id);
	});
	document.addEventListener('submit', (event) => {
		const form = event.target;
		if (form instanceof HTMLFormElement && form.matches(FORM)) {
			event.preventDefault();
			show(form, null);
		}
	});
	// Views were added to history by this script: going back shows that URL's page.
	addEventListener('popstate', () => location.reload());
})();
