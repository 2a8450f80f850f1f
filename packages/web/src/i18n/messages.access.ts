// Names for controls that show no label of their own (a screen reader reads these), and the long lists'
// paging. Kept in a file of their own and spread into both dictionaries; the English one has the same keys.
export const accessZh = {
  'access.contactKind': '联系方式类型',
  'access.contactValue': '联系方式内容',
  'access.callAnsweredAt': '接听时间',
  'access.pageSize': '每页条数',
} as const;

export const accessEn: Record<keyof typeof accessZh, string> = {
  'access.contactKind': 'Contact type',
  'access.contactValue': 'Contact',
  'access.callAnsweredAt': 'Time the call was answered',
  'access.pageSize': 'Rows per page',
};
