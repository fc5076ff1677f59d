import type { INodeProperties } from 'n8n-workflow';

/**
 * Options → Maximum Age: Cermati signs `updatedAt`, so a trigger may refuse a signed delivery
 * whose change is older than a window (a replay of an old notification). Off by default: the
 * partner retries for hours, and a window shorter than that drops genuine retries.
 */
export const cermatiMaxAgeOption: INodeProperties = {
	displayName: 'Maximum Age (Minutes)',
	name: 'maxAge',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'Refuse (401) a signed delivery whose updatedAt is older than this, or more than 5 minutes in the future. 0 turns the check off. Make it longer than Cermati keeps retrying (8 retries with exponential backoff, which can take many hours), e.g. 2880 (two days), or genuine retries are refused.',
};
