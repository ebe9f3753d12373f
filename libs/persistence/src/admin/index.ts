export * from './admin-failure';
export * from './admin-secrets';
export * from './admin-token.store';
export * from './api-key-admin.store';
export * from './api-key-views';
export * from './audit.store';
export * from './profile-admin.store';
export * from './project.store';
