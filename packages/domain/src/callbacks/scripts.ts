import type { CallbackKind } from './lifecycle';

/** The call script (话术) for each kind of callback: how to open, the questions to ask, how to close. */
export interface CallbackScript {
  opening: string;
  questions: string[];
  closing: string;
}

const closing =
  '感谢您的配合。如再接到自称公检法、客服、贷款、刷单的电话或信息，请立即挂断并拨打 96110 或 110 核实。';

export const callbackScripts: Record<CallbackKind, CallbackScript> = {
  report_closed: {
    opening: '您好，这里是反诈中心。您此前报警的电信网络诈骗案件已办结，我们做一次回访，占用您两分钟。',
    questions: [
      '请问办案民警是否向您说明了案件的办理结果？',
      '您对接警和办案的及时性是否满意？请按 1 到 5 分打分。',
      '办理过程中，您是否遇到推诿、态度不好或其他问题，需要向我们反映？',
    ],
    closing,
  },
  money_returned: {
    opening: '您好，这里是反诈中心。您被骗的部分资金已由银行返还至您的账户，我们做一次回访，占用您两分钟。',
    questions: [
      '请问返还的款项是否已到账？金额与通知的是否一致？',
      '返还过程中银行或民警是否向您收取任何费用？（正规返还不收取任何费用）',
      '您对止付、冻结和返还的工作是否满意？请按 1 到 5 分打分。',
      '您还有什么意见或需要反映的问题吗？',
    ],
    closing,
  },
  persuaded: {
    opening: '您好，这里是反诈中心。此前我们曾就可疑的转账或来电提醒过您，今天做一次回访，占用您两分钟。',
    questions: [
      '请问您此后是否还与对方联系，或再向对方转过账？',
      '我们的提醒是否及时、清楚？请按 1 到 5 分打分。',
      '您或家人最近是否又接到类似的可疑电话或信息？',
      '您对我们的工作还有什么意见或建议？',
    ],
    closing,
  },
};
