import type { ProviderPreset } from './preset';
import { azureOpenai } from './presets/azure-openai';
import { deepseek } from './presets/deepseek';
import { groq } from './presets/groq';
import { mistral } from './presets/mistral';
import { moonshot } from './presets/moonshot';
import { ollama } from './presets/ollama';
import { openrouter } from './presets/openrouter';
import { together } from './presets/together';
import { vllm } from './presets/vllm';
import { xai } from './presets/xai';

/** Every preset a channel may name. Adding a vendor: one file under `presets/` and one line here. */
export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  azureOpenai,
  deepseek,
  groq,
  mistral,
  moonshot,
  ollama,
  openrouter,
  together,
  vllm,
  xai,
];

const byId = new Map(PROVIDER_PRESETS.map((preset) => [preset.id, preset]));

export function findPreset(id: string): ProviderPreset | undefined {
  return byId.get(id);
}

export const PRESET_IDS: readonly string[] = PROVIDER_PRESETS.map((preset) => preset.id);
