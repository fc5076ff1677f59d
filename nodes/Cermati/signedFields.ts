/**
 * What Cermati signs: `trxId + updatedAt` for applications, `claimId + updatedAt` for claims.
 * A module of its own because both the contracts (which check them) and `partner.ts` (which
 * lists the contracts, and gives the sender the fields) read them.
 */
export const CERMATI_APPLICATION_SIGNED_FIELDS = ['trxId', 'updatedAt'] as const;
export const CERMATI_CLAIM_SIGNED_FIELDS = ['claimId', 'updatedAt'] as const;
