// The 18 issuers the Guizhou centre deals with most: the national banks and the three
// Guizhou-based ones. Codes are the short codes used by Alipay-style BIN lists (bankcardinfo,
// hexindai/bcbc); cnapsCategory is the 3-digit CNAPS bank-category code (行别代码).

export type CardType = 'debit' | 'credit' | 'semi_credit' | 'prepaid' | 'unknown';

export interface BankInfo {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** CNAPS 行别代码; 313 is shared by all city commercial banks. */
  readonly cnapsCategory: string;
}

export const majorBanks: readonly BankInfo[] = [
  {
    code: 'ICBC',
    nameZh: '中国工商银行',
    nameEn: 'Industrial and Commercial Bank of China',
    cnapsCategory: '102',
  },
  { code: 'ABC', nameZh: '中国农业银行', nameEn: 'Agricultural Bank of China', cnapsCategory: '103' },
  { code: 'BOC', nameZh: '中国银行', nameEn: 'Bank of China', cnapsCategory: '104' },
  { code: 'CCB', nameZh: '中国建设银行', nameEn: 'China Construction Bank', cnapsCategory: '105' },
  { code: 'COMM', nameZh: '交通银行', nameEn: 'Bank of Communications', cnapsCategory: '301' },
  { code: 'CITIC', nameZh: '中信银行', nameEn: 'China CITIC Bank', cnapsCategory: '302' },
  { code: 'CEB', nameZh: '中国光大银行', nameEn: 'China Everbright Bank', cnapsCategory: '303' },
  { code: 'HXBANK', nameZh: '华夏银行', nameEn: 'Hua Xia Bank', cnapsCategory: '304' },
  { code: 'CMBC', nameZh: '中国民生银行', nameEn: 'China Minsheng Banking Corp.', cnapsCategory: '305' },
  { code: 'GDB', nameZh: '广发银行', nameEn: 'China Guangfa Bank', cnapsCategory: '306' },
  { code: 'SPABANK', nameZh: '平安银行', nameEn: 'Ping An Bank', cnapsCategory: '307' },
  { code: 'CMB', nameZh: '招商银行', nameEn: 'China Merchants Bank', cnapsCategory: '308' },
  { code: 'CIB', nameZh: '兴业银行', nameEn: 'Industrial Bank', cnapsCategory: '309' },
  {
    code: 'SPDB',
    nameZh: '上海浦东发展银行',
    nameEn: 'Shanghai Pudong Development Bank',
    cnapsCategory: '310',
  },
  { code: 'ZYCBANK', nameZh: '贵州银行', nameEn: 'Bank of Guizhou', cnapsCategory: '313' },
  { code: 'GYCB', nameZh: '贵阳银行', nameEn: 'Bank of Guiyang', cnapsCategory: '313' },
  {
    code: 'GZRCU',
    nameZh: '贵州省农村信用社联合社',
    nameEn: 'Guizhou Rural Credit Union',
    cnapsCategory: '402',
  },
  { code: 'PSBC', nameZh: '中国邮政储蓄银行', nameEn: 'Postal Savings Bank of China', cnapsCategory: '403' },
];
