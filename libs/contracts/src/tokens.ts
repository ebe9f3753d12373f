/** DI tokens shared by the apps. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
export const ROUTING_CLIENT = Symbol('ROUTING_CLIENT');
export const EVENTS_CLIENT = Symbol('EVENTS_CLIENT');
export const TRACE_EVENT_SINK = Symbol('TRACE_EVENT_SINK');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const REDIS = Symbol('REDIS');
export const SECRET_CIPHER = Symbol('SECRET_CIPHER');
