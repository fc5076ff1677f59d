/**
 * Runs the e2e files in a fixed order: the sender's checks last, because they send to
 * workflows whose execution counts the other files assert.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = ['sender.e2e.test.ts'];

class E2ESequencer extends Sequencer {
	sort(tests) {
		const rank = (test) => LAST.findIndex((name) => test.path.endsWith(name));
		return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
	}
}

module.exports = E2ESequencer;
