export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgres, EmbeddedPostgresSettings } from './embedded-postgres';
export { EMBEDDED_POSTGRES_NICE_STEPS } from './background-priority';
