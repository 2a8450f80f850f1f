import type { FraudTypeCode } from '@fanzha/domain';
import type { Rng } from './rng';

/**
 * How often each fraud type is reported, and how much it takes. Published facts (Ministry of Public
 * Security releases on high-incidence types, 2022-05-11, 2023-06-15 and 2024-06-25 with 2023 data):
 * - order-brushing / task rebate is about one third of cases (2022, 2023) and in 2023 the largest type
 *   by count and by total loss;
 * - fake investment is about one third of the money involved (2022) and has the highest loss per case;
 * - fake shopping / service rose to third by count (2023 data);
 * - the ten common types make up 88.4 % of cases (2023 data), so everything else is about 11.6 %.
 * The ministry publishes no shares for the other types and no amounts per type: those below are our own
 * estimates, chosen to respect the facts above (checked by a test), and say so.
 */
export interface FraudProfile {
  code: FraudTypeCode;
  /** Share of reports. */
  share: number;
  /** Median loss per report, yuan. */
  medianYuan: number;
  /** Spread of the log-normal loss (sigma of ln). */
  sigma: number;
  /** Most transfers a victim makes (rebate and investment victims pay again and again). */
  maxTransfers: number;
  contacts: ReadonlyArray<'phone' | 'url' | 'app' | 'social'>;
  /** A line of the victim's account, with the words that make intake suggest this type. */
  story: string;
}

export const fraudProfiles: readonly FraudProfile[] = [
  {
    code: 'TASK_REBATE',
    share: 0.3, // published: about 1/3 of cases
    medianYuan: 12_000,
    sigma: 1.2,
    maxTransfers: 4,
    contacts: ['social', 'url', 'app'],
    story: '被拉进群做点赞任务，前几单有返利和佣金，后面要求垫付连单才能提现',
  },
  {
    code: 'FAKE_INVESTMENT',
    share: 0.12,
    medianYuan: 30_000,
    sigma: 1.1,
    maxTransfers: 4,
    contacts: ['social', 'url', 'app'],
    story: '网上认识的导师带着炒股投资，说平台高收益，充值后平台提现不了',
  },
  {
    code: 'FAKE_SHOPPING_SERVICE',
    share: 0.1, // published: third by count (2023 data)
    medianYuan: 3_000,
    sigma: 1.0,
    maxTransfers: 2,
    contacts: ['social', 'phone'],
    story: '在网上看到低价商品，卖家让先付定金，付款后一直不发货',
  },
  {
    code: 'FAKE_ECOMMERCE_CS',
    share: 0.08,
    medianYuan: 15_000,
    sigma: 1.0,
    maxTransfers: 3,
    contacts: ['phone', 'app'],
    story: '自称快递客服说丢件要理赔退款，让下载软件共享屏幕操作',
  },
  {
    code: 'FAKE_LOAN',
    share: 0.08,
    medianYuan: 8_000,
    sigma: 1.0,
    maxTransfers: 3,
    contacts: ['phone', 'app', 'url'],
    story: '网上申请贷款，对方说要交手续费和解冻金才能放款',
  },
  {
    code: 'FAKE_CREDIT_REPAIR',
    share: 0.05,
    medianYuan: 20_000,
    sigma: 1.0,
    maxTransfers: 3,
    contacts: ['phone', 'app'],
    story: '对方说我的校园贷账户没注销会影响征信，让把钱转到指定账户消除记录',
  },
  {
    code: 'IMPERSONATE_AUTHORITY',
    share: 0.04,
    medianYuan: 25_000,
    sigma: 1.1,
    maxTransfers: 3,
    contacts: ['phone'],
    story: '自称公安警官说我涉嫌洗钱被通缉，要求把钱转到安全账户配合资金清查',
  },
  {
    code: 'IMPERSONATE_LEADER_ACQUAINTANCE',
    share: 0.04,
    medianYuan: 20_000,
    sigma: 1.0,
    maxTransfers: 2,
    contacts: ['social'],
    story: '领导加微信说急用钱，让我帮忙转账给合作方',
  },
  {
    code: 'GAME_ITEM_TRADE',
    share: 0.04,
    medianYuan: 2_000,
    sigma: 1.0,
    maxTransfers: 3,
    contacts: ['social', 'url'],
    story: '在游戏里买卖账号装备，对方说账号交易被冻结要充值解冻',
  },
  {
    code: 'ROMANCE',
    share: 0.03,
    medianYuan: 25_000,
    sigma: 1.1,
    maxTransfers: 4,
    contacts: ['social', 'url', 'app'],
    story: '网恋交友认识的男朋友带我在平台投资，说稳赚不赔',
  },
  {
    code: 'IMPERSONATE_MILITARY_PURCHASE',
    share: 0.005, // a local police category, in no ministry top-ten list
    medianYuan: 30_000,
    sigma: 0.9,
    maxTransfers: 2,
    contacts: ['phone', 'social'],
    story: '自称部队采购下大单，让先垫付向指定厂家采购军需物资',
  },
  {
    code: 'OTHER',
    share: 0.115, // published: the ten common types are 88.4 % of cases
    medianYuan: 5_000,
    sigma: 1.2,
    maxTransfers: 2,
    contacts: ['phone'],
    story: '对方以各种理由让我转账，转账后联系不上',
  },
];

const shares = fraudProfiles.map((p) => p.share);

export function pickFraudProfile(rng: Rng): FraudProfile {
  return fraudProfiles[rng.weightedIndex(shares)]!;
}

/** Mean loss per report of a profile, yuan, before clamping (log-normal mean = median · e^(σ²/2)). */
export const meanLossYuan = (p: FraudProfile) => p.medianYuan * Math.exp((p.sigma * p.sigma) / 2);
