import { createHash } from 'node:crypto';
import type { Operator } from '@fanzha/domain';
import type { SignalBatch, SignalKind } from '@fanzha/contracts';
import { fraudUrl, indicatorsOf, type GangIndicators } from './indicators';
import { drawMobile } from './people';
import { pickCounty } from './population';
import { rngFor, type Rng, type Seed } from './rng';

/**
 * The telecom operators' feeds (pure): calls and SMS to subscribers, visits to URLs, apps installed.
 * Most traffic is ordinary; a share comes from the gangs — their numbers, domains and apps, the same
 * ones victims name in reports — which is what early warning has to find.
 */
export const signalMix: Readonly<Record<SignalKind, number>> = {
  call: 0.45,
  sms: 0.35,
  url: 0.15,
  app: 0.05,
};

/** Subscribers by operator in Guizhou (our estimate, as for victims' phones). */
const operatorShares: ReadonlyArray<readonly [Operator, number]> = [
  ['china_mobile', 60],
  ['china_telecom', 22],
  ['china_unicom', 15],
  ['china_broadnet', 3],
];

// prettier-ignore
const ordinaryDomains = ['www.gov.cn', 'www.taobao.com', 'm.jd.com', 'www.baidu.com', 'www.qq.com', 'www.12306.cn', 'www.guizhou.gov.cn', 'www.pinduoduo.com'];
// prettier-ignore
const ordinaryApps = [
  { appName: '微信', packageName: 'com.tencent.mm' }, { appName: '支付宝', packageName: 'com.eg.android.AlipayGphone' },
  { appName: '抖音', packageName: 'com.ss.android.ugc.aweme' }, { appName: '国家反诈中心', packageName: 'com.hicorenational.antifraud' },
  { appName: '贵州人社', packageName: 'com.gzrs.app' },
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface SignalFeedOptions {
  seed: Seed;
  runTag: string;
  gangs: number;
  /** Share of signals that come from gangs' indicators. */
  fraudShare: number;
}

/** Batch `index` of one kind: its content depends only on (seed, kind, index). */
export function makeSignalBatch(
  opts: SignalFeedOptions,
  kind: SignalKind,
  index: number,
  size: number,
  at: Date,
): SignalBatch {
  const rng = rngFor(opts.seed, 'signals', kind, index);
  const operator = operatorShares[rng.weightedIndex(operatorShares.map((o) => o[1]))]![0];
  const iso = at.toISOString();
  const base = (j: number) => ({
    id: `${opts.runTag}-${kind}-${index}-${j}`,
    at: iso,
    subscriber: `+86${drawMobile(rng, 'basic', operator)}`,
    countyCode: rng.chance(0.9) ? pickCounty(rng).code : null,
  });
  const gang = (): GangIndicators | undefined =>
    rng.chance(opts.fraudShare) ? indicatorsOf(opts.seed, rng.int(0, opts.gangs - 1)) : undefined;
  const sent = { operator, sentAt: iso };
  const n = Array.from({ length: size }, (_, j) => j);
  switch (kind) {
    case 'call':
      return {
        kind,
        ...sent,
        signals: n.map((j) => {
          const g = gang();
          const from = g ? rng.pick(g.phones) : `+86${drawMobile(rng)}`;
          return {
            ...base(j),
            from,
            durationS: rng.chance(0.3) ? 0 : Math.round(rng.logNormal(g ? 240 : 60, 1)),
            isInternational: !from.startsWith('+86'),
          };
        }),
      };
    case 'sms':
      return {
        kind,
        ...sent,
        signals: n.map((j) => {
          const g = gang();
          return {
            ...base(j),
            from: g ? rng.pick(g.phones) : `+86${drawMobile(rng)}`,
            hasLink: g ? rng.chance(0.7) : rng.chance(0.1),
            textSha256: sha256(`${kind}${index}/${j}`),
          };
        }),
      };
    case 'url':
      return {
        kind,
        ...sent,
        signals: n.map((j) => {
          const g = gang();
          const domain = g ? rng.pick(g.domains) : rng.pick(ordinaryDomains);
          return {
            ...base(j),
            url: g ? fraudUrl(rng, domain) : `https://${domain}/`,
            domain: domain.replace(/^www\./, ''),
          };
        }),
      };
    case 'app':
      return {
        kind,
        ...sent,
        signals: n.map((j) => {
          const g = gang();
          const app = g ? pickFraudApp(rng, g) : { ...rng.pick(ordinaryApps), sha256: '' };
          return { ...base(j), ...app, sha256: app.sha256 || sha256(app.packageName) };
        }),
      };
  }
}

function pickFraudApp(rng: Rng, g: GangIndicators) {
  const app = rng.pick(g.apps);
  return { appName: app.name, packageName: app.packageName, sha256: app.sha256 };
}
