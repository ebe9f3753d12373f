import { InitialSchema1767225600000 } from './initial-schema.migration';
import { RequestLogs1767225600001 } from './request-logs.migration';
import { AdminControlPlane1767225600002 } from './admin-control-plane.migration';
import { UsersAndSessions1767225600004 } from './users-and-sessions.migration';

export { InitialSchema1767225600000, RequestLogs1767225600001, AdminControlPlane1767225600002, UsersAndSessions1767225600004 };

/** In order. Append new migrations here; never edit one that has shipped. */
export const PERSISTENCE_MIGRATIONS = [
  InitialSchema1767225600000,
  RequestLogs1767225600001,
  AdminControlPlane1767225600002,
  UsersAndSessions1767225600004,
];
