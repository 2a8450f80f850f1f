/**
 * The measures (惩戒措施) taken against a person who sold, rented or lent cards, as the law (反电信网络诈骗法
 * 第31条) and the PBOC and MIIT rules provide: five years without the non-counter services of their accounts
 * and three years without new accounts (银发〔2019〕85号), limits on new phone cards. Each is recorded with its
 * start and end, reason and deciding unit; the periods are the deployment's (configurable), the rules' by
 * default.
 */
export const twoCardMeasureKinds = [
  'no_non_counter_services',
  'no_new_accounts',
  'limit_new_phone_cards',
] as const;
export type TwoCardMeasureKind = (typeof twoCardMeasureKinds)[number];

export const twoCardMeasureNamesZh: Record<TwoCardMeasureKind, string> = {
  no_non_counter_services: '暂停非柜面业务',
  no_new_accounts: '不得新开账户',
  limit_new_phone_cards: '限制新办电话卡',
};

/** The length of each measure, in months. */
export type TwoCardPeriods = Readonly<Record<TwoCardMeasureKind, number>>;

/**
 * The rules' periods: 5 years without non-counter services and 3 years without new accounts (银发〔2019〕85号);
 * new phone cards limited for 5 years, as the operators' rules for sold or rented phone cards provide.
 */
export const defaultTwoCardPeriods: TwoCardPeriods = {
  no_non_counter_services: 60,
  no_new_accounts: 36,
  limit_new_phone_cards: 60,
};

/** The end of a measure of this kind starting at `start`: the same day of the month, `months` later (UTC). */
export function measureEndsAt(kind: TwoCardMeasureKind, start: Date, periods: TwoCardPeriods): Date {
  const months = periods[kind];
  const end = new Date(start.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  // The 31st of a shorter month: its last day.
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, last));
  return end;
}

export const twoCardMeasureStates = ['pending', 'in_force', 'ended', 'lifted'] as const;
export type TwoCardMeasureState = (typeof twoCardMeasureStates)[number];

/**
 * A measure's state at `at`: lifted once lifted (whatever its dates), pending before its start, in force from
 * its start up to (not including) its end, ended from its end.
 */
export function measureStateAt(
  m: { startsAt: Date; endsAt: Date; liftedAt: Date | null },
  at: Date,
): TwoCardMeasureState {
  if (m.liftedAt && m.liftedAt <= at) return 'lifted';
  if (at < m.startsAt) return 'pending';
  return at < m.endsAt ? 'in_force' : 'ended';
}

/** Whether a measure can still be lifted at `at`: not lifted and not ended. */
export const isLiftable = (m: { startsAt: Date; endsAt: Date; liftedAt: Date | null }, at: Date): boolean => {
  const s = measureStateAt(m, at);
  return s === 'pending' || s === 'in_force';
};
