import { drawFraudPhone } from './people';
import { rngFor, type Rng, type Seed } from './rng';

/**
 * What a gang reaches victims with (涉诈号码/网址/APP): its phone numbers, the domains of its fake
 * platforms, its apps. The same indicators appear in the reports' contacts and in the operators' signals,
 * so early warning can match one against the other.
 */
export interface FraudApp {
  name: string;
  packageName: string;
  sha256: string;
}

export interface GangIndicators {
  phones: string[];
  domains: string[];
  apps: FraudApp[];
  socials: string[];
}

// prettier-ignore
const syllables = ['jin', 'xin', 'hui', 'fu', 'bao', 'tong', 'da', 'sheng', 'long', 'tai', 'heng', 'yuan', 'rong', 'an', 'ji', 'li'];
const tlds = ['com', 'cc', 'vip', 'top', 'xyz', 'net', 'club'];
// prettier-ignore
const appWords = ['鑫盛', '聚宝', '汇金', '极速', '云享', '融信', '易贷', '金鼎', '恒通', '优选', '星途', '安心'];
const appKinds = ['理财', '借', '商城', '投资', '任务', '会议'];

function domain(rng: Rng): string {
  const name = `${rng.pick(syllables)}${rng.pick(syllables)}${rng.chance(0.5) ? rng.digits(rng.int(2, 3)) : ''}`;
  return `${name}.${rng.pick(tlds)}`;
}

const PHONES = 12;
const DOMAINS = 4;
const APPS = 3;
const SOCIALS = 8;

export function gangIndicators(seed: Seed, gang: number): GangIndicators {
  const rng = rngFor(seed, 'gang', gang, 'indicators');
  return {
    phones: Array.from({ length: PHONES }, () => drawFraudPhone(rng)),
    domains: Array.from({ length: DOMAINS }, () => domain(rng)),
    apps: Array.from({ length: APPS }, () => {
      const word = rng.pick(appWords);
      return {
        name: `${word}${rng.pick(appKinds)}`,
        packageName: `com.${rng.pick(syllables)}${rng.pick(syllables)}.${rng.pick(['app', 'pro', 'plus', 'vip'])}`,
        sha256: rng.hex(64),
      };
    }),
    socials: Array.from({ length: SOCIALS }, () => `wxid_${rng.hex(12)}`),
  };
}

/** A URL on one of the gang's domains, as a victim is sent it. */
export function fraudUrl(rng: Rng, domainName: string): string {
  return `https://${rng.chance(0.5) ? 'www.' : ''}${domainName}/#/${rng.pick(['login', 'register', 'invite'])}?code=${rng.hex(6)}`;
}

const cache = new Map<string, GangIndicators>();
/** A gang's indicators, made once per run. */
export function indicatorsOf(seed: Seed, gang: number): GangIndicators {
  const key = `${seed}/${gang}`;
  let found = cache.get(key);
  if (!found) cache.set(key, (found = gangIndicators(seed, gang)));
  return found;
}
