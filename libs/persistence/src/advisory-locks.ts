/**
 * PostgreSQL advisory lock keys, one per start-up critical section. Several gateway processes (replicas,
 * or the four apps of distributed mode) start at once against one database; these serialise them.
 */
export const AdvisoryLockKeys = {
  migrations: 718_120_001,
  bootstrap: 718_120_002,
  firstAdminToken: 718_120_003,
  /** Admin changes that could remove the last owner credential (two at once must not both pass the check). */
  ownerCredentials: 718_120_004,
} as const;
