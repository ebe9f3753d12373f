import { systemCodecContext } from '@gw/ir';

/** Production ids and clock for codecs (tests inject deterministic ones). */
export const codecContext = systemCodecContext;
