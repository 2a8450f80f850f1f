/**
 * Fraud types: the categories the Ministry of Public Security names in its published lists of common
 * telecom-fraud types (2022–2025 releases), with codes of our own (the ministry publishes none), plus
 * `OTHER`. Keywords drive the suggestion at intake; the call-taker always confirms or changes it.
 */
export const fraudTypeCodes = [
  'TASK_REBATE',
  'FAKE_INVESTMENT',
  'FAKE_SHOPPING_SERVICE',
  'FAKE_ECOMMERCE_CS',
  'FAKE_LOAN',
  'FAKE_CREDIT_REPAIR',
  'IMPERSONATE_AUTHORITY',
  'IMPERSONATE_LEADER_ACQUAINTANCE',
  'GAME_ITEM_TRADE',
  'ROMANCE',
  'IMPERSONATE_MILITARY_PURCHASE',
  'OTHER',
] as const;
export type FraudTypeCode = (typeof fraudTypeCodes)[number];

export interface FraudType {
  code: FraudTypeCode;
  nameZh: string;
  nameEn: string;
  /** Words in a victim's account that point to this type (Chinese as spoken, lower-case English). */
  keywords: readonly string[];
}

export const fraudTypes: readonly FraudType[] = [
  {
    code: 'TASK_REBATE',
    nameZh: '刷单返利类诈骗',
    nameEn: 'Order-brushing / task rebate',
    keywords: ['刷单', '返利', '点赞', '做任务', '垫付', '佣金', '关注博主', '连单'],
  },
  {
    code: 'FAKE_INVESTMENT',
    nameZh: '虚假网络投资理财类诈骗',
    nameEn: 'Fake investment',
    keywords: [
      '投资',
      '理财',
      '炒股',
      '股票',
      '基金',
      '虚拟币',
      '数字货币',
      '导师',
      '平台提现',
      '高收益',
      '荐股',
    ],
  },
  {
    code: 'FAKE_SHOPPING_SERVICE',
    nameZh: '虚假购物、服务类诈骗',
    nameEn: 'Fake shopping / service',
    keywords: ['低价', '代购', '抢票', '演唱会', '发货', '定金', '商品', '卖家'],
  },
  {
    code: 'FAKE_ECOMMERCE_CS',
    nameZh: '冒充电商物流客服类诈骗',
    nameEn: 'Fake e-commerce / logistics customer service',
    keywords: ['客服', '快递', '丢件', '理赔', '退款', '会员', '百万保障', '关闭服务', '共享屏幕'],
  },
  {
    code: 'FAKE_LOAN',
    nameZh: '虚假网络贷款类诈骗',
    nameEn: 'Fake online loan',
    keywords: ['贷款', '放款', '解冻金', '验证还款能力', '流水', '额度', '刷流水', '手续费'],
  },
  {
    code: 'FAKE_CREDIT_REPAIR',
    nameZh: '虚假征信类诈骗',
    nameEn: 'Fake credit-record repair',
    keywords: ['征信', '注销账户', '校园贷', '影响征信', '学生账户', '消除记录'],
  },
  {
    code: 'IMPERSONATE_AUTHORITY',
    nameZh: '冒充公检法及政府机关类诈骗',
    nameEn: 'Impersonating police, prosecutors or officials',
    keywords: ['公安', '警官', '检察院', '法院', '通缉', '洗钱', '安全账户', '涉嫌', '逮捕令', '资金清查'],
  },
  {
    code: 'IMPERSONATE_LEADER_ACQUAINTANCE',
    nameZh: '冒充领导、熟人类诈骗',
    nameEn: 'Impersonating a boss or acquaintance',
    keywords: ['领导', '老板', '熟人', '同学', '亲戚', '换号', '加微信', '急用钱', '帮忙转账'],
  },
  {
    code: 'GAME_ITEM_TRADE',
    nameZh: '网络游戏产品虚假交易类诈骗',
    nameEn: 'Fake game-account / item trade',
    keywords: ['游戏', '装备', '账号交易', '皮肤', '点卡', '充值'],
  },
  {
    code: 'ROMANCE',
    nameZh: '网络婚恋、交友类诈骗',
    nameEn: 'Online dating / romance ("pig-butchering")',
    keywords: ['网恋', '交友', '婚恋', '男朋友', '女朋友', '杀猪盘', '相亲'],
  },
  {
    code: 'IMPERSONATE_MILITARY_PURCHASE',
    nameZh: '冒充军警购物类诈骗',
    nameEn: 'Impersonating military or police buyers',
    keywords: ['部队', '军人', '采购', '武警', '军需'],
  },
  { code: 'OTHER', nameZh: '其他类型诈骗', nameEn: 'Other', keywords: [] },
];

const byCode = new Map(fraudTypes.map((t) => [t.code, t]));
export const fraudTypeOf = (code: FraudTypeCode): FraudType => byCode.get(code)!;

export interface FraudTypeSuggestion {
  code: FraudTypeCode;
  /** The keywords found, so the call-taker sees why. */
  matched: string[];
}

/** Ranks fraud types by how many of their keywords the narrative mentions; none when nothing matches. */
export function suggestFraudType(text: string): FraudTypeSuggestion | undefined {
  const haystack = text.toLowerCase();
  let best: FraudTypeSuggestion | undefined;
  for (const type of fraudTypes) {
    const matched = type.keywords.filter((k) => haystack.includes(k));
    if (matched.length > (best?.matched.length ?? 0)) best = { code: type.code, matched };
  }
  return best;
}
