import type { Locale } from '../../../i18n';
import type { WallT } from '../wall.messages';

/** What every option builder needs besides its data: words, language, and the screen's scale. */
export interface OptionContext {
  t: WallT;
  locale: Locale;
  /** 1 at 1920×1080, 2 at 3840×2160. */
  scale: number;
}

export const px = (ctx: OptionContext, n: number) => Math.round(n * ctx.scale * 10) / 10;

/**
 * The smallest text on the wall, at 1920×1080: read from 5 m at the back of the room. Every label,
 * axis, legend and list line is at least this; headings and figures are larger.
 */
export const WALL_TEXT = 20;
