// Mainland 11-digit mobile number segments (号段) → original carrier, compiled by hand from public
// facts: MIIT allocations (incl. the 2019-12-24 batch 190/192/196/197), the libphonenumber CN mobile
// pattern and VincentSit/ChinaMobilePhoneNumberRegex (2022). Since 2019-12-01 numbers can be ported
// between carriers (携号转网), so the segment gives the issuing carrier only.
// Matching is longest prefix first; a prefix missing here is unallocated for 11-digit numbers
// (e.g. 140–144/146/148 are 13-digit IoT ranges, 154/160/163/164/168/169/179/194 are unused).

export type Carrier = 'china_mobile' | 'china_unicom' | 'china_telecom' | 'china_broadnet' | 'other';

/** basic: ordinary subscriber; mvno: virtual operator (移动转售, higher fraud risk); data_card: 上网卡. */
export type MobileCategory = 'basic' | 'mvno' | 'data_card' | 'iot' | 'satellite' | 'emergency';

export interface MobileSegment {
  readonly prefix: string;
  readonly carrier: Carrier;
  /** Carrier shown to staff; for 'other' it names the actual operator. */
  readonly carrierZh: string;
  readonly category: MobileCategory;
}

export const carrierNamesZh: Record<Exclude<Carrier, 'other'>, string> = {
  china_mobile: '中国移动',
  china_unicom: '中国联通',
  china_telecom: '中国电信',
  china_broadnet: '中国广电',
};

const M = 'china_mobile';
const U = 'china_unicom';
const T = 'china_telecom';
const B = 'china_broadnet';

function seg(
  prefixes: string,
  carrier: Exclude<Carrier, 'other'>,
  category: MobileCategory,
): MobileSegment[] {
  return prefixes
    .split(' ')
    .map((prefix) => ({ prefix, carrier, carrierZh: carrierNamesZh[carrier], category }));
}

export const mobileSegments: readonly MobileSegment[] = [
  // China Mobile
  ...seg(
    '134 135 136 137 138 139 150 151 152 157 158 159 172 178 182 183 184 187 188 195 197 198',
    M,
    'basic',
  ),
  ...seg('147', M, 'data_card'),
  ...seg('165 1703 1705 1706', M, 'mvno'),
  // China Unicom
  ...seg('130 131 132 155 156 166 175 176 185 186 196', U, 'basic'),
  ...seg('145', U, 'data_card'),
  ...seg('167 171 1704 1707 1708 1709', U, 'mvno'),
  // China Telecom
  ...seg('133 153 173 177 180 181 189 190 191 193 199', T, 'basic'),
  ...seg('149', T, 'data_card'),
  ...seg('162 1700 1701 1702', T, 'mvno'),
  // 1349 was China Satcom's satellite range, moved to China Telecom with Satcom's mobile business;
  // 17400–17405 are China Telecom's Tiantong (天通) satellite phones.
  ...seg('1349 17400 17401 17402 17403 17404 17405', T, 'satellite'),
  // China Broadnet (中国广电), licensed 2019.
  ...seg('192', B, 'basic'),
  // 17406–17412: MIIT emergency-communications numbers; 1749: Inmarsat maritime satellite.
  ...['17406', '17407', '17408', '17409', '17410', '17411', '17412'].map((prefix): MobileSegment => ({
    prefix,
    carrier: 'other',
    carrierZh: '工业和信息化部应急通信保障中心',
    category: 'emergency',
  })),
  { prefix: '1749', carrier: 'other', carrierZh: '海事卫星', category: 'satellite' },
];
