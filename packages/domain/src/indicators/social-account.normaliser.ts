import { invalid, valid, type Validation } from '../validators/result';

export const socialPlatforms = [
  'wechat',
  'qq',
  'alipay',
  'douyin',
  'kuaishou',
  'weibo',
  'telegram',
  'whatsapp',
  'other',
] as const;
export type SocialPlatform = (typeof socialPlatforms)[number];

export type SocialReason = 'social.platform' | 'social.empty' | 'social.format';

export const socialReasonMessagesZh: Record<SocialReason, string> = {
  'social.platform': '不支持的社交平台',
  'social.empty': '请输入社交账号',
  'social.format': '社交账号格式不正确',
};

// What each platform's public account id looks like once lower-cased; 'other' takes any id without spaces.
const ID_FORMAT: Record<SocialPlatform, RegExp> = {
  wechat: /^[a-z][a-z0-9_-]{5,19}$|^wxid_[a-z0-9]{6,30}$/,
  qq: /^[1-9]\d{4,11}$/,
  alipay: /^\S{3,64}$/,
  douyin: /^[a-z0-9_.]{2,32}$/,
  kuaishou: /^[a-z0-9_.]{2,32}$/,
  weibo: /^\d{5,16}$/,
  telegram: /^[a-z][a-z0-9_]{4,31}$/,
  whatsapp: /^\d{8,15}$/,
  other: /^\S{1,64}$/,
};

function isPlatform(p: string): p is SocialPlatform {
  return (socialPlatforms as readonly string[]).includes(p);
}

/**
 * A social account as 'platform:id' ('wechat:zhang_san88', 'qq:12345678'). Ids are lower-cased
 * (the platforms match them without case), a leading '@' is dropped, and a WhatsApp id is the
 * number's digits.
 */
export function normaliseSocialAccount(platform: string, id: string): Validation<string> {
  const p = platform.trim().toLowerCase();
  if (!isPlatform(p)) {
    return invalid('social.platform', `${platform} is not one of ${socialPlatforms.join(', ')}.`);
  }
  let value = id.trim().toLowerCase().replace(/^@/, '');
  if (p === 'whatsapp') value = value.replace(/[\s\-+()]/g, '');
  if (value === '') return invalid('social.empty', 'The social account id is empty.');
  if (!ID_FORMAT[p].test(value)) {
    return invalid('social.format', `${id.trim()} is not a valid ${p} account id.`);
  }
  return valid(`${p}:${value}`);
}
