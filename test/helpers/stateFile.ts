/**
 * A suite's state file: globalSetup writes there the coordinates of what it started, test files
 * (each in its own module registry) and globalTeardown read it. Its path travels in the
 * environment variable `variable`; `command` is what to run when it is not set.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function stateFileAt<State>(variable: string, command: string) {
	const stateFile = (): string => {
		const file = process.env[variable];
		if (!file) throw new Error(`${variable} is not set: run the suite with ${command}`);
		return file;
	};
	return {
		stateFile,
		setStateFile(file: string): void {
			process.env[variable] = file;
		},
		readState(): State {
			return JSON.parse(readFileSync(stateFile(), 'utf8')) as State;
		},
		writeState(state: State): void {
			writeFileSync(stateFile(), JSON.stringify(state, null, 2));
		},
	};
}
