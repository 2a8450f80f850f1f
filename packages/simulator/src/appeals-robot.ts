import { ApiError, createApiClient, type ApiClient } from '@fanzha/contracts';
import { rngFor, type Rng } from './rng';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Timers } from './timers';

/** One public appeal every three minutes at the default pace: a trickle, as in a province. */
export const APPEAL_EVERY_MS = 180_000;

const STATEMENTS = [
  '此号码是我本人实名使用多年的手机号，从未参与任何诈骗活动，请核实后解除。',
  '该号码为我新办理的号码，之前的使用人与我无关。',
  '我的银行卡被他人冒用，已向银行挂失，请求解除限制。',
  '该网址是我单位的正规官网，被误列为涉诈网址。',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];

const mobile = (rng: Rng) =>
  `1${rng.pick(['39', '58', '86', '77'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;

/**
 * The robot appellants (申诉): now and then someone whose phone number, website or account the province has
 * listed files an appeal on the public form, without an account, through the generated API client. The
 * values come from the registry as the centre's supervisor robot reads it (a stand-in for the people those
 * values belong to); the review and decision are left to the centre's staff.
 */
export function startAppealsRobot(deps: {
  baseUrl: string;
  /** Reads the listed values (the registry is not public). */
  reader: Robot;
  timers: Timers;
  stats: SimStats;
  seed: string | number;
  everyMs?: number;
}): void {
  const { timers } = deps;
  const rng = rngFor(deps.seed, 'appeals');
  const everyMs = deps.everyMs ?? APPEAL_EVERY_MS;
  const publicClient = createApiClient({ baseUrl: deps.baseUrl });
  const read = <T>(call: (client: ApiClient) => Promise<T>) => asRobot(deps.reader, call);

  async function fileOne(): Promise<void> {
    const kind = rng.pick(['phone', 'phone', 'phone', 'domain', 'account'] as const);
    const page = await read((c) =>
      c.GET('/api/indicators', { params: { query: { kind, status: 'active', limit: 50 } } }),
    );
    if (page.indicators.length === 0) return;
    const listed = rng.pick(page.indicators);
    await publicClient.POST('/api/public/appeals', {
      params: { header: { 'idempotency-key': `sim-appeal-${listed.id}-${rng.int(0, 1e9)}` } },
      body: {
        subjectKind: kind === 'domain' ? 'url' : kind,
        subjectValue: listed.value,
        name: `${rng.pick(SURNAMES)}某`,
        contactPhone: mobile(rng),
        statement: rng.pick(STATEMENTS),
      },
    });
  }

  async function loop(): Promise<void> {
    while (!timers.isStopped) {
      await timers.sleep(rng.int(Math.round(everyMs / 2), Math.round(everyMs * 1.5)));
      if (timers.isStopped) return;
      try {
        await fileOne();
      } catch (err) {
        // Limited per address like any member of the public: wait for the next round.
        if (err instanceof ApiError && err.status === 429) continue;
        countError(deps.stats, 'appeal', err);
      }
    }
  }
  void loop();
}
