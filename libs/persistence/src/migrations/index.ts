import { InitialSchema1767225600000 } from './initial-schema.migration';
import { RequestLogs1767225600001 } from './request-logs.migration';
import { AdminControlPlane1767225600002 } from './admin-control-plane.migration';
import { ChannelLastTest1767225600003 } from './channel-last-test.migration';
import { UsersAndSessions1767225600004 } from './users-and-sessions.migration';
import { RequestLogQueries1767225600005 } from './request-log-queries.migration';
import { ChannelPresets1767225600006 } from './channel-presets.migration';

export {
  InitialSchema1767225600000,
  RequestLogs1767225600001,
  AdminControlPlane1767225600002,
  ChannelLastTest1767225600003,
  UsersAndSessions1767225600004,
  RequestLogQueries1767225600005,
  ChannelPresets1767225600006,
};

/** In order. Append new migrations here; never edit one that has shipped. */
export const PERSISTENCE_MIGRATIONS = [
  InitialSchema1767225600000,
  RequestLogs1767225600001,
  AdminControlPlane1767225600002,
  ChannelLastTest1767225600003,
  UsersAndSessions1767225600004,
  RequestLogQueries1767225600005,
  ChannelPresets1767225600006,
];
