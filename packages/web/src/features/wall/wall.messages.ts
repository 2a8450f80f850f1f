import { useMemo } from 'react';
import { useLocale, type Locale } from '../../i18n';

/** The wall's own strings, zh-CN first; kept beside the feature so the app's dictionaries stay small. */
const zhCN = {
  title: '质态云图',
  subtitle: '贵州省反电信网络诈骗指挥中心',
  today: '今日',
  'kpi.today': '今日{label}',
  month: '本月',
  monthValue: '本月 {value}',
  notConnected: '尚未接入',
  'kpi.reports': '接警',
  'kpi.loss': '报案损失',
  'kpi.stoppedAccounts': '止付账户',
  'kpi.stoppedFen': '止付金额',
  'kpi.frozenFen': '冻结金额',
  'kpi.returnedFen': '返还金额',
  'kpi.warnings': '预警',
  'kpi.persuasions': '劝阻',
  'kpi.blockedNumbers': '关停号码',
  'kpi.firstContact': '首呼中位 {median}',
  'kpi.firstContact.full': '本月首次呼叫或上门用时：中位 {median}，90% 分位 {p90}（目标 5 分钟内）',
  'kpi.effect': '30日被骗 {defrauded}',
  'kpi.effect.full': '本月办结的预警事件：劝阻率 {persuaded}，办结后 30 日内被骗 {defrauded}',
  'unit.reports': '起',
  'unit.accounts': '个',
  'unit.people': '人次',
  'unit.numbers': '个',
  'clock.title': '三分钟止付',
  'clock.subtitle': '今日 接警 → 首个止付结果',
  'clock.median': '中位数',
  'clock.p90': '90% 分位',
  'clock.within': '三分钟内占比',
  'clock.share': '{within} / {reports} 起',
  'clock.target': '目标 {s} 秒',
  'clock.reached': '已有止付结果 {n} 起',
  seconds: '{n} 秒',
  'map.reports': '本月警情（起）· 按区县',
  'map.loss': '本月损失（万元）· 按区县',
  'hourly.title': '近 24 小时接警',
  'hourly.reports': '警情（起）',
  'hourly.loss': '损失（万元）',
  'types.title': '本月诈骗类型',
  'types.trend': '近 30 天类型趋势',
  'types.unknown': '类型待定',
  'types.rest': '其余类型',
  'banks.title': '银行止付响应 · 近 24 小时中位数',
  'banks.answered': '{n} 笔',
  'lapse.title': '{h} 小时内到期的紧急止付',
  'lapse.inForce': '止付中 {n} 个',
  'lapse.layer': '{n} 级卡',
  'lapse.left': '余 {t}',
  'handoffs.title': '属地推送超时',
  'handoffs.open': '办理中 {n} 件',
  'handoffs.overdue': '件超时',
  none: '暂无',
  live: '实时',
  reconnecting: '重连中',
  notLive: '未连接实时数据，画面可能不是最新',
  updated: '更新 {time}',
  back: '返回',
};

type WallKey = keyof typeof zhCN;

const enUS: Record<WallKey, string> = {
  title: 'Command wall',
  subtitle: 'Guizhou anti-telecom-fraud command centre',
  today: 'Today',
  'kpi.today': '{label} today',
  month: 'This month',
  monthValue: 'Month {value}',
  notConnected: 'not yet connected',
  'kpi.reports': 'Reports',
  'kpi.loss': 'Losses',
  'kpi.stoppedAccounts': 'Stops',
  'kpi.stoppedFen': 'Stopped',
  'kpi.frozenFen': 'Frozen',
  'kpi.returnedFen': 'Returned',
  'kpi.warnings': 'Warnings',
  'kpi.persuasions': 'Dissuaded',
  'kpi.blockedNumbers': 'Blocked',
  'kpi.firstContact': 'First call {median}',
  'kpi.firstContact.full':
    'First call or visit this month: median {median}, p90 {p90} (target: within 5 minutes)',
  'kpi.effect': 'Defrauded 30 d {defrauded}',
  'kpi.effect.full':
    'Episodes closed this month: persuaded {persuaded}, defrauded within 30 days of closing {defrauded}',
  'unit.reports': '',
  'unit.accounts': '',
  'unit.people': '',
  'unit.numbers': '',
  'clock.title': 'Three-minute clock',
  'clock.subtitle': 'Today: call answered → first stop result',
  'clock.median': 'Median',
  'clock.p90': '90th percentile',
  'clock.within': 'Within target',
  'clock.share': '{within} of {reports} in time',
  'clock.target': 'target {s} s',
  'clock.reached': '{n} with a stop result',
  seconds: '{n} s',
  'map.reports': 'Reports this month · by county',
  'map.loss': 'Losses this month (¥10k) · by county',
  'hourly.title': 'Reports, last 24 hours',
  'hourly.reports': 'Reports',
  'hourly.loss': 'Losses (¥10k)',
  'types.title': 'Fraud types this month',
  'types.trend': 'Fraud types, last 30 days',
  'types.unknown': 'Unclassified',
  'types.rest': 'All other types',
  'banks.title': "Banks' response, median over 24 h",
  'banks.answered': '{n} answers',
  'lapse.title': 'Emergency stops lapsing within {h} h',
  'lapse.inForce': '{n} in force',
  'lapse.layer': 'layer {n}',
  'lapse.left': '{t} left',
  'handoffs.title': 'Overdue county hand-offs',
  'handoffs.open': '{n} open',
  'handoffs.overdue': 'overdue',
  none: 'None',
  live: 'Live',
  reconnecting: 'Reconnecting',
  notLive: 'Not live: figures may be out of date',
  updated: 'Updated {time}',
  back: 'Back',
};

const dictionaries: Record<Locale, Record<WallKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };

export type WallT = (key: WallKey, params?: Readonly<Record<string, string | number>>) => string;

export function wallTranslator(locale: Locale): WallT {
  return (key, params) =>
    dictionaries[locale][key].replace(/\{(\w+)\}/g, (slot, name: string) => String(params?.[name] ?? slot));
}

export function useWallT(): { t: WallT; locale: Locale } {
  const { locale } = useLocale();
  // One function per language, so options built from it are not rebuilt on every render.
  const t = useMemo(() => wallTranslator(locale), [locale]);
  return { t, locale };
}
