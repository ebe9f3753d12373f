/**
 * The admin API's answers as the CLI reads them. Keys, profiles, projects and tokens are the contracts'
 * own types; channels, users and request logs are written here from the API's documented shapes.
 */
export type { AdminTokenView, ApiKeyView, AuditEntryView, DryRunView, Page, ProfileView, ProjectView } from '@gw/contracts';

export interface Items<T> {
  items: T[];
}

export interface ChannelTestResult {
  ok: boolean;
  status: number | null;
  latency_ms: number | null;
  model: string | null;
  error?: string | null;
  at: string;
}

export interface ChannelView {
  id: string;
  name: string;
  type: string;
  base_url: string;
  models: string[];
  enabled: boolean;
  timeout_ms: number | null;
  preset?: string | null;
  model_map?: Record<string, string>;
  api_key: { set: boolean; last4: string | null };
  headers?: Record<string, { set: boolean; last4: string | null }>;
  last_test: ChannelTestResult | null;
  created_at: string;
  updated_at: string;
}

export interface UserView {
  id?: string;
  name: string;
  role: string;
  project: string | null;
  created_at?: string;
}

export interface LoginView {
  token: string;
  expires_at: string | null;
  role: string;
  project: string | null;
}

export interface RequestLogView {
  request_id: string;
  project: string | null;
  api_key_id: string | null;
  conversation_key: string | null;
  requested_model: string | null;
  mapped_model: string | null;
  upstream_model?: string | null;
  channel: string | null;
  status: number;
  error_code: string | null;
  error_message: string | null;
  started_at: string;
  latency_ms: number | null;
  ttft_ms: number | null;
  tokens: {
    input: number | null;
    output: number | null;
    total: number | null;
    cached_input: number | null;
    reasoning: number | null;
  } | null;
  warnings: string[] | null;
  stream: boolean;
  endpoint: string;
}

export interface RequestLogPage {
  items: RequestLogView[];
  next_cursor: string | null;
}
