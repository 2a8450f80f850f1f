/**
 * A publicity campaign (宣传活动) is a task for a county's police, as an explicit state machine:
 *   planned ──accept──▶ assigned ──complete──▶ done
 *     │  └────────────complete─────────────────▲
 *     └──────cancel (planned or assigned)──────▶ cancelled
 * The centre plans it from a brief line; the county police accept (签收) it and complete it with the
 * people reached; the centre may cancel it while it is open.
 */
export const campaignStatuses = ['planned', 'assigned', 'done', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export type CampaignEvent = 'accept' | 'complete' | 'cancel';

export const campaignChannels = [
  'community-talk',
  'sms',
  'wechat',
  'school',
  'market-stall',
  'village-broadcast',
  'door-to-door',
  'other',
] as const;
export type CampaignChannel = (typeof campaignChannels)[number];

export const campaignChannelNamesZh: Record<CampaignChannel, string> = {
  'community-talk': '社区宣讲',
  sms: '短信',
  wechat: '微信',
  school: '进校园',
  'market-stall': '集市摆摊',
  'village-broadcast': '村村响广播',
  'door-to-door': '入户走访',
  other: '其他',
};

const transitions: Record<CampaignStatus, Partial<Record<CampaignEvent, CampaignStatus>>> = {
  planned: { accept: 'assigned', complete: 'done', cancel: 'cancelled' },
  assigned: { complete: 'done', cancel: 'cancelled' },
  done: {},
  cancelled: {},
};

export function nextCampaignStatus(from: CampaignStatus, event: CampaignEvent): CampaignStatus | undefined {
  return transitions[from][event];
}

export const isOpenCampaign = (s: CampaignStatus) => s === 'planned' || s === 'assigned';
