// The public risk lookup (风险查询): no sign-in. Spread into both dictionaries; zh-CN is the reference.
export const lookupZh = {
  'lookup.title': '涉诈风险查询',
  'lookup.description':
    '接到陌生来电、收到链接或要向陌生账户转账前，先查一查。结果只分三档，不显示举报人和案件信息。',
  'lookup.kind': '查询类型',
  'lookup.kind.phone': '电话号码',
  'lookup.kind.url': '网址',
  'lookup.kind.account': '银行账号',
  'lookup.value': '要查询的号码、网址或账号',
  'lookup.placeholder.phone': '如 138 0013 8000',
  'lookup.placeholder.url': '如 https://example.com/pay',
  'lookup.placeholder.account': '如 6222 0212 3456 7890 128',
  'lookup.submit': '查询',
  'lookup.level.high_risk': '高风险',
  'lookup.level.suspicious': '可疑',
  'lookup.level.no_record': '暂无记录',
  'lookup.checked': '查询内容：{value}',
  'lookup.next': '下一步怎么做',
  'lookup.hotline': '拿不准就拨打 96110 反诈专线。',
} as const;

export const lookupEn: Record<keyof typeof lookupZh, string> = {
  'lookup.title': 'Fraud risk lookup',
  'lookup.description':
    'Before you answer a stranger, open a link or pay an unknown account, check it here. The answer has three ' +
    'levels and never shows who reported it or any case.',
  'lookup.kind': 'What to check',
  'lookup.kind.phone': 'Phone number',
  'lookup.kind.url': 'Website',
  'lookup.kind.account': 'Bank account',
  'lookup.value': 'The number, website or account to check',
  'lookup.placeholder.phone': 'e.g. 138 0013 8000',
  'lookup.placeholder.url': 'e.g. https://example.com/pay',
  'lookup.placeholder.account': 'e.g. 6222 0212 3456 7890 128',
  'lookup.submit': 'Check',
  'lookup.level.high_risk': 'High risk',
  'lookup.level.suspicious': 'Suspicious',
  'lookup.level.no_record': 'No record',
  'lookup.checked': 'Checked: {value}',
  'lookup.next': 'What to do next',
  'lookup.hotline': 'When in doubt, call the anti-fraud hotline 96110.',
};
