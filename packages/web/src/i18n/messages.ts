import type { Locale } from './locale';
import { enUS } from './messages.en-us';
import { zhCN } from './messages.zh-cn';

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

export const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };
