/**
 * The journey's steps as jest tests that keep what a person saw: a screenshot per step in one
 * folder (printed at the start and the end of the run; CI sets N8N_EDITOR_STEPS_DIR to put it
 * beside its results), and for a step that fails, the page's HTML and n8n's log as well.
 *
 * The steps build on each other (the credential is made in step 2 and used by step 4, …), so
 * once one fails the later ones fail at once, naming it, instead of failing on its leftovers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

export interface StepRunner {
	/** The folder the screenshots (and a failure's page and log) are written to. */
	folder: string;
	/** Declares a jest test named `title` that runs `work`, then keeps a screenshot of the page. */
	step(title: string, work: () => Promise<void>, timeoutMs?: number): void;
}

/**
 * `page()` and `n8nLog()` are read when a step ends: the page and n8n exist only once
 * beforeAll has run.
 */
export function stepRunner({
	page,
	n8nLog,
}: {
	page: () => Page | undefined;
	n8nLog: () => string | undefined;
}): StepRunner {
	const folder =
		process.env.N8N_EDITOR_STEPS_DIR ||
		fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-editor-steps-'));
	fs.mkdirSync(folder, { recursive: true });
	let number = 0;
	let failedStep: string | undefined;

	const step = (title: string, work: () => Promise<void>, timeoutMs = 90000) => {
		number += 1;
		const file = `${String(number).padStart(2, '0')}-${title
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 60)}`;
		test(
			title,
			async () => {
				if (failedStep) throw new Error(`not run: the step "${failedStep}" failed before it`);
				const shown = page();
				try {
					await work();
				} catch (error) {
					failedStep = title;
					if (shown) {
						await shown
							.screenshot({ path: path.join(folder, `${file}.FAILED.png`), fullPage: true })
							.catch(() => undefined);
						const html = await shown.content().catch(() => '(the page could not be read)');
						fs.writeFileSync(path.join(folder, `${file}.FAILED.html`), html);
					}
					const log = n8nLog();
					if (log && fs.existsSync(log)) fs.copyFileSync(log, path.join(folder, 'n8n.log'));
					const where = `what was on screen: ${path.join(folder, file)}.FAILED.png and .html; n8n's log: ${path.join(folder, 'n8n.log')}`;
					process.stdout.write(`[editor] the step "${title}" failed; ${where}\n`);
					// Jest prints the stack, written when the error was made: the note goes in both.
					if (error instanceof Error) {
						const original = error.message;
						error.message = `${original}\n(${where})`;
						error.stack = error.stack?.replace(original, error.message);
					}
					throw error;
				}
				if (!shown) throw new Error('no page to take the screenshot of');
				await shown.screenshot({ path: path.join(folder, `${file}.png`) });
			},
			timeoutMs,
		);
	};
	return { folder, step };
}

/**
 * What `read` returns once `accept` takes it, read again every 200 ms for up to `timeoutMs`
 * (the editor draws what it fetched a moment later); after that, a failure naming `what` and
 * the last value read.
 */
export async function until<T>(
	what: string,
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs = 15000,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await read();
		if (accept(value)) return value;
		if (Date.now() - started > timeoutMs) {
			throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs / 1000} s`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
