// The period reports (日报/周报/月报) in the supervisor's console. Kept in a file of their own and spread into
// both dictionaries. zh-CN is the reference; the English one has the same keys.
export const periodReportsZh = {
  'periodReports.title': '报表',
  'periodReports.kind.daily': '日报',
  'periodReports.kind.weekly': '周报',
  'periodReports.kind.monthly': '月报',
  'periodReports.date': '日期（北京时间）',
  'periodReports.generate': '立即生成',
  'periodReports.generated': '已生成：{title}',
  'periodReports.loadError': '报表加载失败',
  'periodReports.col.title': '报表',
  'periodReports.col.origin': '来源',
  'periodReports.col.createdAt': '生成时间',
  'periodReports.col.files': '下载',
  'periodReports.origin.schedule': '定时',
  'periodReports.origin.demand': '手动',
  'periodReports.empty': '尚无报表',
};

export const periodReportsEn: Record<keyof typeof periodReportsZh, string> = {
  'periodReports.title': 'Reports',
  'periodReports.kind.daily': 'Daily',
  'periodReports.kind.weekly': 'Weekly',
  'periodReports.kind.monthly': 'Monthly',
  'periodReports.date': 'Date (China time)',
  'periodReports.generate': 'Generate now',
  'periodReports.generated': 'Generated: {title}',
  'periodReports.loadError': 'The reports could not be loaded',
  'periodReports.col.title': 'Report',
  'periodReports.col.origin': 'Made',
  'periodReports.col.createdAt': 'Generated at',
  'periodReports.col.files': 'Download',
  'periodReports.origin.schedule': 'On schedule',
  'periodReports.origin.demand': 'On demand',
  'periodReports.empty': 'No reports yet',
};
