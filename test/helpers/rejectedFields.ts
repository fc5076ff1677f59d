/** The Rejected output's fields in order, as users map them (README, "Alert me …"). */
export const REJECTED_FIELDS = [
	'rejectedAt',
	'httpStatus',
	'reason',
	'check',
	'remoteAddress',
	'headerNames',
	'bodyBytes',
	'bodySha256',
	'suppressed',
];
